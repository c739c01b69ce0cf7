using System.Text;
using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// A chart of ExitSim data, rendered to PNG and SVG. Each subclass takes plain data and builds a
/// fresh ScottPlot plot per render, so a chart object holds no render state and can be reused.
/// </summary>
public abstract class Chart
{
    public const int DefaultWidth = 1200, DefaultHeight = 700;

    public int Width { get; init; } = DefaultWidth;
    public int Height { get; init; } = DefaultHeight;

    /// <summary>The chart's title as drawn (also the caption the HTML report uses).</summary>
    public abstract string Title { get; }

    /// <summary>Builds the plot; <see cref="Chart"/> renders and disposes it.</summary>
    protected abstract Plot Build();

    /// <summary>The chart as SVG text; the same data gives the same bytes.</summary>
    public string ToSvg()
    {
        using var plt = Build();
        return Svg(plt);
    }

    public byte[] ToPng()
    {
        using var plt = Build();
        return plt.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>The chart as PNG bytes and SVG text from one layout (for writers that stage files themselves).</summary>
    public (byte[] Png, string Svg) Render()
    {
        using var plt = Build();
        return (plt.GetImageBytes(Width, Height, ImageFormat.Png), Svg(plt));
    }

    /// <summary>Writes <c>path.png</c> and <c>path.svg</c> (<paramref name="pathWithoutExtension"/> has no extension); creates the folder.</summary>
    public ChartFiles Write(string pathWithoutExtension)
    {
        var files = new ChartFiles(pathWithoutExtension + ".png", pathWithoutExtension + ".svg");
        if (Path.GetDirectoryName(Path.GetFullPath(files.Png)) is { } dir) Directory.CreateDirectory(dir);
        using var plt = Build();
        File.WriteAllBytes(files.Png, plt.GetImageBytes(Width, Height, ImageFormat.Png));
        File.WriteAllText(files.Svg, Svg(plt), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return files;
    }

    private string Svg(Plot plt) => SvgIds.Renumber(plt.GetSvgXml(Width, Height), "c");
}
