using ScottPlot;

namespace ExitSim.Plots;

/// <summary>A chart drawn as one ScottPlot plot.</summary>
public abstract class PlotChart : Chart
{
    protected PlotChart(int width = DefaultWidth, int height = DefaultHeight) : base(width, height) { }

    /// <summary>Builds the plot; <see cref="Chart"/> renders and disposes it.</summary>
    protected abstract Plot Build();

    private protected sealed override Figure Compose() => Figure.Single(Build());
}
