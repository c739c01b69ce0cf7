using System.Globalization;
using System.Text;
using ExitSim.Units;

namespace ExitSim.Probe;

/// <summary>
/// Writes a <see cref="HostProfile"/> as a YAML fragment:
/// <c>host_profile: { kernel, cpu, measured_at, paths: { userspace_pio: 12.3us, …, guest_speed_ratio },
/// means: { userspace_pio: 13us, … }, guest_loop, noisy }</c>,
/// with each path's spread and sample count in a comment, and the warnings and stats checks as comments.
/// </summary>
public static class HostProfileWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Write(HostProfile profile)
    {
        var sb = new StringBuilder();
        sb.Append("# exitsim probe: per-exit medians measured with tiny real-mode KVM guests\n");
        foreach (var w in profile.Warnings) sb.Append("# warning: ").Append(OneLine(w)).Append('\n');
        sb.Append("host_profile:\n");
        sb.Append("  kernel: ").Append(Scalar(profile.Kernel)).Append('\n');
        sb.Append("  kvm_module: ").Append(Scalar(profile.KvmModule)).Append('\n');
        sb.Append("  cpu: ").Append(Scalar(profile.Cpu)).Append('\n');
        sb.Append("  measured_at: ").Append(profile.MeasuredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv)).Append('\n');
        sb.Append("  paths:\n");
        foreach (var p in profile.Paths)
        {
            sb.Append("    ").Append(p.Name).Append(": ").Append(UnitFormat.Time(p.MedianNs));
            sb.Append("   # median; mean ").Append(UnitFormat.Time(p.MeanNs)).Append(", p10 ").Append(UnitFormat.Time(p.P10Ns)).Append(", p90 ").Append(UnitFormat.Time(p.P90Ns));
            sb.Append(", ").Append(p.Samples.ToString(Inv)).Append(" samples, repetitions within ")
              .Append(p.RepetitionSpreadPct.ToString("0.#", Inv)).Append('%');
            if (p.Noisy) sb.Append(" (noisy)");
            sb.Append('\n');
        }
        sb.Append("    guest_speed_ratio: ").Append(profile.GuestSpeedRatio.ToString(profile.GuestSpeedRatio >= 0.01 ? "0.00" : "0.######", Inv));
        sb.Append("   # guest loop speed / host loop speed").Append(profile.SlowGuest ? " (slow: nested or emulated)" : "").Append('\n');
        sb.Append("  means:   # what many exits add up to: whole runs with the exit minus runs without it, in the thread's CPU time (ioeventfd paths: the mean of runs, the slowest 1 % left out)\n");
        foreach (var p in profile.Paths)
            sb.Append("    ").Append(p.Name).Append(": ").Append(UnitFormat.Time(p.MeanNs)).Append('\n');
        if (profile.Paths.Any(p => p.LoopNs is not null))
        {
            sb.Append("  loops:   # per iteration of each path's loop, with the exit and the same loop without it: paths: and means: are net of the loop\n");
            foreach (var p in profile.Paths.Where(p => p.LoopNs is not null))
                sb.Append("    ").Append(p.Name).Append(": { with_exit: ").Append(UnitFormat.Time(p.WithExitNs ?? 0))
                  .Append(", without: ").Append(UnitFormat.Time(p.LoopNs!.Value))
                  .Append(", runs: ").Append((p.Repetitions * p.RunsPerRepetition).ToString(Inv))
                  .Append(", iterations: ").Append(p.Iterations.ToString(Inv)).Append(" }\n");
        }
        if (profile.BudgetSeconds > 0)
            sb.Append("  budget: ").Append(profile.BudgetSeconds.ToString("0.#", Inv)).Append("s   # every step sized by a pilot run to fit it; took ")
              .Append(profile.ElapsedSeconds.ToString("0.#", Inv)).Append("s\n")
              .Append("  elapsed: ").Append(profile.ElapsedSeconds.ToString("0.#", Inv)).Append("s\n");
        // Four decimals: the loop takes about a nanosecond and validation multiplies it by 10^4..10^5.
        sb.Append("  guest_loop: ").Append(profile.GuestLoopNs.ToString("0.####", Inv)).Append("ns")
          .Append("   # guest time per iteration of xor/dec/jnz (the host's: ").Append(UnitFormat.Time(profile.HostLoopNs))
          .Append(profile.GuestLoopIterations > 0 ? $"; runs of {profile.GuestLoopIterations.ToString(Inv)} and twice that" : "").Append(")\n");
        if (profile.EmulatedHost) sb.Append("  emulated_host: true   # the host CPU itself is emulated: exit costs are the emulator's\n");
        if (profile.EmulationDelayNs > 0)
            sb.Append("  emulation_delay: ").Append(UnitFormat.Time(profile.EmulationDelayNs)).Append("   # added in userspace on userspace_pio_emulated\n");
        sb.Append("  noisy: ").Append(profile.Noisy ? "true" : "false").Append('\n');
        if (profile.StatsChecks.Count > 0)
        {
            sb.Append("  # exit counts, probe vs KVM (KVM_GET_STATS_FD / eventfd):\n");
            foreach (var c in profile.StatsChecks)
                sb.Append("  #   ").Append(c.Describe()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A YAML plain scalar when safe, otherwise a double-quoted one.</summary>
    internal static string Scalar(string s)
    {
        bool plain = s.Length > 0
            && s.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or ' ' or '(' or ')' or '@' or '/')
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1]) && s[0] is not ('-' or '@')
            && !double.TryParse(s, NumberStyles.Float, Inv, out _)
            && s is not ("true" or "false" or "null" or "yes" or "no" or "~");
        if (plain) return s;
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
