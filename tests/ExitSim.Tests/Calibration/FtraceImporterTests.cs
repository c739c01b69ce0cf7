using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

using ExitSim.Model;

namespace ExitSim.Tests.Calibration;

public sealed class FtraceImporterTests
{
    [Fact]
    public void New_format_pairs_exit_with_entry_on_the_same_thread()
    {
        var trace = Assert.Single(Fixtures.Import("ftrace-kvm__seanjc-2024-nested-ept-violation-newfmt.txt"));

        Assert.Equal(MeasurementFormat.Ftrace, trace.Format);
        Assert.Equal(["EXCEPTION_NMI", "EPT_VIOLATION"], trace.Reasons.Select(r => r.Name));
        // By hand: kvm_exit at 140.314684, kvm_entry at 140.314688 → 4 µs.
        Assert.Equal([4000.0], trace.Reason("EXCEPTION_NMI").Durations!);
        // 140.314704 → 140.314709 = 5 µs; the exit at 140.314732 has no entry in the excerpt.
        Assert.Equal(2, trace.Reason("EPT_VIOLATION").Count);
        Assert.Equal([5000.0], trace.Reason("EPT_VIOLATION").Durations!);
        Assert.Equal(1, trace.UnpairedExits);
        Assert.Equal(68e-6, trace.IntervalSeconds!.Value, 12); // 140.314752 − 140.314684
        Assert.Equal(Vendor.Intel, trace.Vendor);
        Assert.Equal(2, trace.Counters.Single(c => c.Name == "kvm_entry").Count);
        Assert.Equal(3, trace.Counters.Single(c => c.Name == "kvm_inj_exception").Count);
        Assert.Equal(2, trace.Reason("EXCEPTION_NMI").SourceLine);
        Assert.Empty(trace.SkippedLines);
    }

    [Fact]
    public void Userspace_exits_are_separated_by_path()
    {
        var trace = Assert.Single(Fixtures.Import("ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt"));

        // The trace has kvm_userspace_exit events, so an exit without one stayed in the kernel.
        var kernel = trace.Reasons.Single(r => r.Name == "EXCEPTION_NMI" && r.Path == ExitPath.Kernel);
        var userspace = trace.Reasons.Single(r => r.Name == "EXCEPTION_NMI" && r.Path == ExitPath.Userspace);
        // .154940 → .154952 and .154954 → .154964
        Assert.Equal([12000.0, 10000.0], kernel.Durations!);
        // .154966 → KVM_EXIT_IO → .155001 and .155004 → KVM_EXIT_IO → .155033; the HLT exit at .155036 never re-enters.
        Assert.Equal(3, userspace.Count);
        Assert.Equal([35000.0, 29000.0], userspace.Durations!);
        Assert.Equal(32000, userspace.MeanNs);
        Assert.Equal(1, trace.UnpairedExits);
        Assert.Equal(0.004571, trace.IntervalSeconds!.Value, 9);
        Assert.Equal(3, trace.Counters.Single(c => c.Name == "kvm_userspace_exit").Count);
    }

    [Fact]
    public void Comm_with_spaces_perf_script_lines_nanoseconds_and_old_names()
    {
        const string text = """
            # tracer: nop
            #
            #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
             CPU 0/KVM-4242    [003] d.... 1000.000000100: kvm_exit: vcpu 0 reason MSR_WRITE rip 0xffffffff81000000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
             CPU 1/KVM-4243    [004] d.... 1000.000000200: kvm_exit: vcpu 1 reason HLT rip 0xffffffff81000010 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
             CPU 0/KVM-4242    [003] d.... 1000.000001350: kvm_entry: vcpu 0, rip 0xffffffff81000002 [immediate exit]
             CPU 1/KVM-4243    [004] d.... 1000.000900200: kvm_entry: vcpu 1, rip 0xffffffff81000011
            qemu-kvm 4000 [001] 1000.001000: kvm:kvm_exit: reason apic_access rip 0xc0100000 info 1000 0
            qemu-kvm 4000 [001] 1000.001003: kvm:kvm_entry: vcpu 0
            """;

        var trace = Assert.Single(MeasurementImporter.ImportText(text, "trace.txt"));

        Assert.Equal([1250.0], trace.Reason("MSR_WRITE").Durations!);
        Assert.Equal([900_000.0], trace.Reason("HLT").Durations!);
        Assert.Equal([3000.0], trace.Reason("apic_access").Durations!);
        Assert.Equal(0, trace.UnpairedExits);
        Assert.Equal(Vendor.Intel, trace.Vendor);
    }
}
