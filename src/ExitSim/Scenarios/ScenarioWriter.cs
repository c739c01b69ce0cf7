using System.Text;
using ExitSim.Distributions;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>
/// Writes a scenario back as YAML that <see cref="ScenarioLoader"/> reads to an equal scenario
/// (numbers in the shortest form that round-trips exactly). Used by calibrate and by tests.
/// </summary>
public static class ScenarioWriter
{
    public static string Write(Scenario s, Func<string, string?>? comment = null)
    {
        var w = new StringBuilder();
        void Line(int indent, string key, string value, string? note = null)
        {
            w.Append(' ', indent * 2).Append(key).Append(": ").Append(value);
            if (note is not null) w.Append("  # ").Append(note);
            w.Append('\n');
        }
        void Head(int indent, string key) => w.Append(' ', indent * 2).Append(key).Append(":\n");

        Line(0, "name", Text(s.Name));
        if (s.Description is not null) Line(0, "description", Text(s.Description));
        Head(0, "host");
        Line(1, "vendor", s.Host.Vendor.ToString().ToLowerInvariant());
        Line(1, "ghz", UnitFormat.Number(s.Host.Ghz));
        Line(1, "cores", s.Host.Cores.ToString());
        if (s.Host.Features.Count > 0) Line(1, "features", "[" + string.Join(", ", s.Host.Features) + "]");
        if (s.Host.Model is not null) Line(1, "model", Text(s.Host.Model));
        if (HasAny(s.Costs))
        {
            Head(0, "costs");
            WriteCosts(s.Costs, 1, Line, null, comment);
        }
        Head(0, "vm");
        Line(1, "count", s.Vm.Count.ToString());
        Line(1, "vcpus", s.Vm.Vcpus.ToString());
        Line(1, "memory", UnitFormat.Bytes(s.Vm.MemoryBytes));
        Line(1, "page_size", UnitFormat.Bytes(s.Vm.PageSizeBytes));
        Line(1, "qemu_threads", s.Vm.QemuThreads == QemuThreadMode.PerVm ? "per-vm" : "per-vcpu");
        Line(1, "timer_hz", UnitFormat.Number(s.Vm.TimerHz));
        Head(0, "exits");
        foreach (var e in s.Exits)
        {
            Head(1, Text(e.Reason));
            if (e.Occurrence is { } o)
            {
                if (o.Rate is { } r) Line(2, "rate", UnitFormat.RateExact(r), comment?.Invoke($"{e.Reason}.rate"));
                if (o.Interval is { } i) Line(2, "interval", Text(i.Format()), comment?.Invoke($"{e.Reason}.interval"));
                Line(2, "clock", o.Clock == OccurrenceClock.Guest ? "guest" : "wall");
            }
            if (e.Path is { } p) Line(2, "path", p == Model.ExitPath.Kernel ? "kernel" : "userspace");
            WriteCosts(e.Costs, 2, Line, e.Reason, comment);
        }
        Head(0, "run");
        Line(1, "duration", UnitFormat.TimeExact(s.Run.Duration.Value));
        Line(1, "warmup", UnitFormat.TimeExact(s.Run.Warmup.Value));
        Line(1, "replications", s.Run.Replications.ToString());
        Line(1, "seed", s.Run.Seed.ToString());
        Head(0, "kpis");
        Line(1, "exit_rate", UnitFormat.RateExact(s.Kpis.MaxExitsPerSecond));
        Line(1, "mean_exit_latency", UnitFormat.TimeExact(s.Kpis.MaxMeanExitLatencyNs));
        Line(1, "io_exit_share", UnitFormat.Number(s.Kpis.MaxIoExitShare));
        Line(1, "ept_violation_share", UnitFormat.Number(s.Kpis.MaxEptViolationShare));
        return w.ToString();
    }

    private static bool HasAny(PhaseCosts c) => c.Save is not null || c.Handle is not null || c.Emulate is not null || c.Reenter is not null;

    private static void WriteCosts(PhaseCosts c, int indent, Action<int, string, string, string?> line, string? reason, Func<string, string?>? comment)
    {
        void One(string key, Distribution? d)
        {
            if (d is not null) line(indent, key, Text(d.Format()), comment?.Invoke($"{reason ?? "costs"}.{key}"));
        }
        One("save", c.Save);
        One("handle", c.Handle);
        One("emulate", c.Emulate);
        One("reenter", c.Reenter);
    }

    /// <summary>A YAML scalar, double-quoted when plain style would be misread.</summary>
    public static string Text(string value)
    {
        bool plain = value.Length > 0 && !value.Contains(": ") && !value.Contains(" #") && !value.EndsWith(':') &&
                     "!&*-?{}[],#|>@`\"'%".IndexOf(value[0]) < 0 && value.Trim() == value &&
                     value.All(ch => !char.IsControl(ch)) &&
                     !(value is "null" or "~" or "true" or "false" or "yes" or "no");
        if (plain) return value;
        var sb = new StringBuilder("\"");
        foreach (char ch in value)
        {
            sb.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
