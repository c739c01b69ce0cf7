using System.Globalization;
using ExitSim.Units;

namespace ExitSim.Evidence;

/// <summary>How the scoreboard formatters write a figure in its unit, its interval, its band and its verdict.</summary>
internal static class EvidenceValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Figure(double v, string unit) => unit switch
    {
        "cyc" => v.ToString("#,0", Inv) + " cyc",
        "%" => v.ToString("0.0", Inv) + " %",
        "x" => v.ToString("0.000", Inv) + "×",
        "ns" => UnitFormat.Time(v),
        "/s" or "ops/s" => UnitFormat.Rate(v),
        _ => v.ToString("0.###", Inv) + " " + unit,
    };

    /// <summary>The half-width in the figure's unit, one digit finer than the figure.</summary>
    public static string Ci(double h, string unit) => unit switch
    {
        "cyc" => h.ToString("#,0.#", Inv) + " cyc",
        "%" => h.ToString("0.00", Inv) + " pp",
        "x" => h.ToString("0.0000", Inv),
        _ => Figure(h, unit),
    };

    public static string Simulated(CaseResult r) => r.Simulated is not { } v ? "-"
        : Figure(v, r.Unit) + (r.Ci95 is { } h ? " ± " + Ci(h, r.Unit) : " ± ?");

    public static string Published(CaseResult r) => Figure(r.Published.Value, r.Published.Unit);

    public static string Band(CaseResult r) => r.Band is not { } b ? "-" : $"{Figure(b.Low, r.Unit)} … {Figure(b.High, r.Unit)}";

    public static string Verdict(CaseResult r) => r.Pass switch
    {
        true => "pass",
        false => "FAIL",
        null => "not expressible",
    };

    public static string Summary(Scoreboard s) =>
        $"{s.Passed} pass, {s.Failed} fail, {s.NotExpressible} not expressible, of {s.Cases.Count} published results";
}
