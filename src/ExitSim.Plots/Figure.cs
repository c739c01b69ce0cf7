using ScottPlot;
using SkiaSharp;

namespace ExitSim.Plots;

/// <summary>
/// What a chart draws: one plot filling the image, or small multiples — a grid of plots under a common
/// title and legend, each with its own axes, so that metrics of very different size or unit are each
/// read on a scale of their own.
/// </summary>
internal sealed class Figure : IDisposable
{
    private const float HeaderTitleHeight = 44, HeaderLegendHeight = 30, Margin = 8;

    private readonly Plot[] _plots;
    private readonly int _columns;
    private readonly string? _title;
    private readonly IReadOnlyList<LegendItem> _legend;

    private Figure(Plot[] plots, int columns, string? title, IReadOnlyList<LegendItem> legend)
    {
        _plots = plots;
        _columns = Math.Max(1, columns);
        _title = title;
        _legend = legend;
    }

    public static Figure Single(Plot plot) => new([plot], 1, null, []);

    /// <summary>Panels in rows of <paramref name="columns"/>, under <paramref name="title"/> and a one-line legend (fill or line swatches).</summary>
    public static Figure Panels(IReadOnlyList<Plot> panels, int columns, string title, IReadOnlyList<LegendItem> legend)
    {
        foreach (var p in panels) p.RenderManager.ClearCanvasBeforeEachRender = false;   // each panel draws into its own rectangle
        return new([.. panels], columns, title, legend);
    }

    private bool IsSingle => _title is null && _plots.Length == 1;

    public byte[] Png(int width, int height)
    {
        if (IsSingle) return _plots[0].GetImageBytes(width, height, ImageFormat.Png);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        Draw(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public string Svg(int width, int height)
    {
        if (IsSingle) return _plots[0].GetSvgXml(width, height);
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream)) Draw(canvas, width, height);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Draw(SKCanvas canvas, int width, int height)
    {
        using (var white = new SKPaint { Color = SKColors.White }) canvas.DrawRect(0, 0, width, height, white);
        float top = DrawHeader(canvas, width);
        int rows = (_plots.Length + _columns - 1) / _columns;
        float cellW = (width - 2 * Margin) / _columns, cellH = (height - top - Margin) / rows;
        using var layout = new SKNoDrawCanvas(width, height);
        for (int i = 0; i < _plots.Length; i++)
        {
            float left = Margin + i % _columns * cellW, y = top + i / _columns * cellH;
            var rect = new PixelRect(left, left + cellW, y + cellH, y);
            // A plot's first render lays it out twice; done off the page, so the SVG holds each panel once.
            if (_plots[i].RenderManager.RenderCount == 0) _plots[i].Render(layout, rect);
            _plots[i].Render(canvas, rect);
        }
    }

    /// <summary>The title centred, the legend centred under it; returns where the panels start.</summary>
    private float DrawHeader(SKCanvas canvas, int width)
    {
        using var titleFont = new SKFont(Fonts.GetTypeface(ChartFont.Name, bold: true, italic: false), ChartStyle.TitleSize);
        using var legendFont = new SKFont(Fonts.GetTypeface(ChartFont.Name, bold: false, italic: false), ChartStyle.LegendSize);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(_title!, width / 2f, HeaderTitleHeight - 14, SKTextAlign.Center, titleFont, ink);
        if (_legend.Count == 0) return HeaderTitleHeight;

        const float swatch = 22, gap = 8, between = 28;
        float total = _legend.Sum(l => swatch + gap + legendFont.MeasureText(l.LabelText)) + between * (_legend.Count - 1);
        float x = (width - total) / 2, mid = HeaderTitleHeight + HeaderLegendHeight / 2;
        foreach (var item in _legend)
        {
            using var paint = new SKPaint { IsAntialias = true };
            if (item.FillColor.A > 0)
            {
                paint.Color = item.FillColor.ToSKColor();
                canvas.DrawRect(x, mid - 7, swatch, 14, paint);
            }
            else
            {
                paint.Color = item.LineColor.ToSKColor();
                paint.StrokeWidth = Math.Max(1, item.LineWidth);
                canvas.DrawLine(x, mid, x + swatch, mid, paint);
            }
            x += swatch + gap;
            canvas.DrawText(item.LabelText, x, mid + legendFont.Size * 0.35f, SKTextAlign.Left, legendFont, ink);
            x += legendFont.MeasureText(item.LabelText) + between;
        }
        return HeaderTitleHeight + HeaderLegendHeight;
    }

    public void Dispose()
    {
        foreach (var p in _plots) p.Dispose();
    }
}
