using ScottPlot;

namespace ExitSim.Plots;

/// <summary>
/// The font every chart uses: DejaVu Sans shipped next to this assembly and registered with
/// ScottPlot under a name of its own, so labels render on machines without system fonts (Skia
/// silently drops text it has no typeface for) and never fall back to another installed font.
/// </summary>
internal static class ChartFont
{
    private const string FontName = "ExitSim Sans";

    // ScottPlot's font registry is process-wide; register once, from whichever thread asks first.
    private static readonly Lazy<string> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The registered font name (registers it on first use).</summary>
    public static string Name => Registered.Value;

    private static string Register()
    {
        string dir = Path.GetDirectoryName(typeof(ChartFont).Assembly.Location) is { Length: > 0 } d ? d : AppContext.BaseDirectory;
        foreach (var (file, bold) in new[] { ("DejaVuSans.ttf", false), ("DejaVuSans-Bold.ttf", true) })
        {
            string path = Path.Combine(dir, "Fonts", file);
            if (!File.Exists(path))
                throw new FileNotFoundException($"chart font missing: {path} (it ships with ExitSim.Plots; was the Fonts folder copied?)", path);
            Fonts.AddFontFile(FontName, path, bold, italic: false);
        }
        return FontName;
    }
}
