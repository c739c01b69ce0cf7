using System.Text;

namespace ExitSim.Plots;

/// <summary>
/// A chart of ExitSim data, rendered to PNG and SVG. Each subclass takes plain data and composes a
/// fresh figure per render (one plot, or panels), so a chart object holds no render state and can be reused.
/// </summary>
public abstract class Chart
{
    public const int DefaultWidth = 1200, DefaultHeight = 700;

    protected Chart(int width = DefaultWidth, int height = DefaultHeight)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; init; }
    public int Height { get; init; }

    /// <summary>The chart's title as drawn (also the caption the HTML report uses).</summary>
    public abstract string Title { get; }

    /// <summary>The figure to draw; <see cref="Chart"/> renders and disposes it.</summary>
    private protected abstract Figure Compose();

    /// <summary>The chart as SVG text; the same data gives the same bytes.</summary>
    public string ToSvg()
    {
        using var figure = Compose();
        return Svg(figure);
    }

    public byte[] ToPng()
    {
        using var figure = Compose();
        return figure.Png(Width, Height);
    }

    /// <summary>The chart as PNG bytes and SVG text from one composition (for writers that stage files themselves).</summary>
    public (byte[] Png, string Svg) Render()
    {
        using var figure = Compose();
        return (figure.Png(Width, Height), Svg(figure));
    }

    /// <summary>Writes <c>path.png</c> and <c>path.svg</c> (<paramref name="pathWithoutExtension"/> has no extension); creates the folder.</summary>
    public ChartFiles Write(string pathWithoutExtension)
    {
        var files = new ChartFiles(pathWithoutExtension + ".png", pathWithoutExtension + ".svg");
        if (Path.GetDirectoryName(Path.GetFullPath(files.Png)) is { } dir) Directory.CreateDirectory(dir);
        var (png, svg) = Render();
        File.WriteAllBytes(files.Png, png);
        File.WriteAllText(files.Svg, svg, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return files;
    }

    private string Svg(Figure figure) => SvgIds.Renumber(figure.Svg(Width, Height), "c");
}
