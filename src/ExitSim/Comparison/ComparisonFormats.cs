using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExitSim.Units;

namespace ExitSim.Comparison;

/// <summary>Writes a comparison as a before/after table, Markdown or JSON (one record per metric).</summary>
public static class ComparisonFormats
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Table(ComparisonResult c, bool markdown = false)
    {
        var w = new StringBuilder();
        string Head(string s) => markdown ? $"## {s}\n\n" : s + "\n\n";
        w.Append(Head($"{c.Scenario}: {c.Change} ({c.Replications} paired replications, seed {c.Seed}, common random numbers)"));
        if (markdown) w.Append("| metric | before | after | change | 95 % CI of the change |\n|---|---:|---:|---:|---:|\n");
        else w.Append($"{"metric",-26} {"before",14} {"after",14} {"change",9}  {"95 % CI",9}\n");
        foreach (var r in c.Metrics)
        {
            string ci = r.Ci95Pct is { } h ? "± " + h.ToString("0.00", Inv) + "%" : "-";
            string delta = double.IsInfinity(r.DeltaPct) ? "new" : r.DeltaPct.ToString("+0.00;-0.00;0.00", Inv) + "%";
            if (markdown) w.Append($"| {r.Name} | {Value(r.Name, r.Before)} | {Value(r.Name, r.After)} | {delta} | {ci} |\n");
            else w.Append($"{r.Name,-26} {Value(r.Name, r.Before),14} {Value(r.Name, r.After),14} {delta,9}  {ci,9}\n");
        }
        return w.ToString();
    }

    public static string Json(ComparisonResult c)
    {
        var o = new JsonObject
        {
            ["scenario"] = c.Scenario, ["change"] = c.Change, ["seed"] = c.Seed, ["replications"] = c.Replications,
            ["metrics"] = new JsonArray(c.Metrics.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name, ["before"] = r.Before, ["after"] = r.After,
                ["delta_pct"] = double.IsInfinity(r.DeltaPct) ? null : r.DeltaPct, ["ci95_pct"] = r.Ci95Pct,
            }).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    internal static string Value(string metric, double v) => metric switch
    {
        "exits_per_second" or "io_exits_per_second" => UnitFormat.Rate(v),
        "mean_exit_latency_ns" or "p99_exit_latency_ns" or "p50_op_latency_ns" or "p99_op_latency_ns" or "p99_storage_latency_ns" => UnitFormat.Time(v),
        "guest_time_fraction" or "qemu_max_utilisation" or "halted_fraction" or "halt_poll_fraction" => (100 * v).ToString("0.00", Inv) + "%",
        "throughput_ops_per_second" => UnitFormat.Rate(v).Replace("/s", " ops/s"),
        _ => v.ToString("0.00", Inv) + "%",
    };
}
