using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Calibration;

/// <summary>
/// kvm-unit-tests' vmexit.flat measures what one exit of a kind costs end to end, in TSC cycles
/// (kvm-unit-tests x86/vmexit.c), but not how often a workload exits. Calibration takes the costs and writes the
/// rates as assumptions to replace.
/// </summary>
internal static class UnitTestCalibration
{
    private const double AssumedRate = 1000;

    // vmexit.flat test → the exit reason it times, and where KVM handles it (x86/vmexit.c; arch/x86/kvm/vmx/vmx.c exit handlers).
    private static readonly (string Test, string Reason, ExitPath Path)[] Map =
    [
        ("cpuid", "CPUID", ExitPath.Kernel),
        ("vmcall", "VMCALL", ExitPath.Kernel),
        ("inl_from_qemu", "IO_INSTRUCTION", ExitPath.Userspace),
        ("inl_from_kernel", "IO_INSTRUCTION", ExitPath.Kernel),
        ("wr_tsc_adjust_msr", "MSR_WRITE", ExitPath.Kernel),
        ("rd_tsc_adjust_msr", "MSR_READ", ExitPath.Kernel),
        ("tscdeadline", "PREEMPTION_TIMER", ExitPath.Kernel),
        ("mov_to_cr8", "CR_ACCESS", ExitPath.Kernel),
    ];

    public static CalibrationResult Calibrate(Measurement m, CalibrationOptions o, Vendor vendor)
    {
        var notes = new List<string> { $"kvm-unit-tests gives costs only: every rate below is an assumed {AssumedRate}/s per vCPU to replace with your workload's" };
        var notesByKey = new Dictionary<string, string>();
        var exits = new List<ExitSpec>();
        var rows = new List<CalibrationRow>();
        double transitions = o.Save.Value + o.Reenter.Value; // both in cycles by default, like vmexit.flat
        foreach (var (test, reason, path) in Map)
        {
            var t = m.UnitTests.FirstOrDefault(u => u.Test == test);
            if (t is null || exits.Any(e => e.Reason == reason)) continue; // the first listed test of a reason wins
            double handle = Math.Max(0, t.Cycles - (o.Save.Unit == QuantityUnit.Cycles && o.Reenter.Unit == QuantityUnit.Cycles ? transitions : 0));
            exits.Add(new ExitSpec
            {
                Reason = reason,
                Occurrence = new Occurrence { Rate = AssumedRate },
                Path = path,
                Costs = new PhaseCosts
                {
                    Handle = new ConstantDistribution(Quantity.Cycles(handle)),
                    Emulate = path == ExitPath.Userspace ? new ConstantDistribution(Quantity.Ns(0)) : null,
                },
            });
            string source = $"{Path.GetFileName(m.SourcePath)}:{t.SourceLine}";
            notesByKey[$"{reason}.rate"] = "assumed: vmexit.flat does not measure rates";
            notesByKey[$"{reason}.handle"] = $"{source}: {test} {t.Cycles} cycles per exit ({m.Table ?? "vmexit.flat"}) minus save and reenter";
            rows.Add(new CalibrationRow(reason, path == ExitPath.Kernel ? "kernel" : "userspace", 1, AssumedRate, "guest", "constant", $"const({handle}cyc)", null, source, $"from {test}"));
        }
        foreach (var skipped in m.UnitTests.Where(u => Map.All(x => x.Test != u.Test)))
            notes.Add($"{Path.GetFileName(m.SourcePath)}:{skipped.SourceLine}: {skipped.Test} has no single exit reason; not used");
        if (exits.Count == 0) throw new CalibrationInputException(m.SourcePath, m.StartLine, 1, "no vmexit.flat test that maps to an exit reason (cpuid, vmcall, inl_from_qemu, …)");
        var scenario = new Scenario
        {
            Name = o.Name,
            Description = $"Costs from kvm-unit-tests vmexit.flat ({m.Table ?? "results"}) in {Path.GetFileName(m.SourcePath)}; rates assumed",
            Host = new HostSpec { Vendor = vendor, Ghz = o.Ghz ?? 2.0, Cores = Math.Max(2, 2 * (o.Vcpus ?? 1)), Features = new[] { "ept" }.ToEquatableArray() },
            Costs = new PhaseCosts { Save = new ConstantDistribution(o.Save), Reenter = new ConstantDistribution(o.Reenter) },
            Vm = new VmSpec { Vcpus = o.Vcpus ?? 1, QemuThreads = QemuThreadMode.PerVcpu },
            Exits = exits.ToEquatableArray(),
            Run = new RunSpec { Duration = Quantity.Ns(1e9), Warmup = Quantity.Ns(1e8), Replications = 5, Seed = 1 },
        };
        notesByKey["host.ghz"] = o.Ghz is null ? "assumed (give --ghz): vmexit.flat counts TSC cycles" : "given with --ghz";
        notesByKey["costs.save"] = "assumed half of the hardware round trip (400–800 cycles), taken out of each test's total";
        notesByKey["costs.reenter"] = "assumed half of the hardware round trip (400–800 cycles), taken out of each test's total";
        return new CalibrationResult(scenario, notesByKey, rows, notes);
    }
}
