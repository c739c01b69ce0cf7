using System.Xml.Linq;

namespace ExitSim.Tests.Plots;

/// <summary>Checks on rendered chart files that prove something was drawn, text included.</summary>
public static class ChartAssert
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static void IsPng(string path, int minBytes = 20_000)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= minBytes, $"{path}: only {bytes.Length} bytes");
        Assert.Equal(PngMagic, bytes[..8]);
    }

    /// <summary>The SVG's text elements, trimmed; fails if it is not well-formed XML.</summary>
    public static string[] Texts(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        return doc.Descendants(Svg + "text").Select(t => t.Value.Trim()).ToArray();
    }

    /// <summary>
    /// Title and axis labels are real text in the shipped font. A label Skia had no typeface for
    /// would be missing here (it drops such text silently), and another installed font would show
    /// up under its own family name.
    /// </summary>
    public static void HasLabels(string svg, params string[] labels)
    {
        var texts = Texts(svg);
        foreach (var label in labels) Assert.Contains(label, texts);
        var families = XDocument.Parse(svg).Descendants(Svg + "text").Select(t => (string?)t.Attribute("font-family") ?? "(none)").Distinct().ToArray();
        Assert.Equal(new[] { "DejaVu Sans" }, families);
    }
}
