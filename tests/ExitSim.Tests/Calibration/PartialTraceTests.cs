using ExitSim.Calibration;
using ExitSim.Calibration.Importers;
using ExitSim.Model;

namespace ExitSim.Tests.Calibration;

/// <summary>Traces without kvm_exit: exits read from kvm_pio, kvm_mmio, kvm_fast_mmio, kvm_msr and kvm_userspace_exit.</summary>
public sealed class PartialTraceTests
{
    private const string Nested = "real-host-nested-pvm/ftrace-kvm-events-no-kvm_exit.txt";

    [Fact]
    public void The_nested_host_trace_gives_io_on_both_paths()
    {
        var trace = Assert.Single(Fixtures.Import(Nested));

        // 104 kvm_pio writes: 101 followed by KVM_EXIT_IO (port 0x10/0x11, emulated by the VMM), 3 not (port 0x20, ioeventfd).
        var userspace = trace.Reasons.Single(r => r.Name == "IO_INSTRUCTION" && r.Path == ExitPath.Userspace);
        var kernel = trace.Reasons.Single(r => r.Name == "IO_INSTRUCTION" && r.Path == ExitPath.Kernel);
        Assert.Equal(2, trace.Reasons.Count);
        Assert.Equal((101, 3), (userspace.Count, kernel.Count));
        Assert.Equal((13, 75), (userspace.SourceLine, kernel.SourceLine));
        // No kvm_entry: no exit's end is marked. What is shown: kvm_pio → kvm_userspace_exit (115 µs over 101 exits, µs
        // resolution), and for the ioeventfd writes the gap to the next kvm_pio (lines 75→76, 140→141, 205→206).
        Assert.Empty(userspace.Durations!);
        Assert.Equal(101, userspace.Partial!.Unmarked);
        Assert.Equal(101, userspace.Partial.ToUserspaceNs.Length);
        Assert.Equal(115_000.0 / 101, userspace.Partial.ToUserspaceNs.Average(), 6);
        Assert.Equal([3000.0, 1000.0, 1000.0], kernel.Partial!.RestBoundNs);
        Assert.Empty(kernel.Partial.ToUserspaceNs);
        // 2024.724883 → 2024.780027, one thread.
        Assert.Equal(0.055144, trace.IntervalSeconds!.Value, 9);
        Assert.Equal(1, trace.Vcpus!.Count);
        Assert.Contains(trace.Notes, n => n.StartsWith("no kvm_exit events", StringComparison.Ordinal));
        Assert.Null(trace.Vendor); // no reason name printed by the kernel
    }

    private const string Mixed = """
        # tracer: nop
         CPU 0/KVM-100    [000] d.... 10.000001000: kvm_userspace_exit: reason KVM_EXIT_IO (2)
         CPU 1/KVM-101    [001] d.... 10.000002000: kvm_pio: pio_write at 0xcfc size 4 count 1 val 0x0 
         CPU 1/KVM-101    [001] d.... 10.000003000: kvm_userspace_exit: reason KVM_EXIT_IO (2)
         CPU 0/KVM-100    [000] d.... 10.000005000: kvm_pio: pio_read at 0x3fd size 1 count 1 val 0x60 
         CPU 1/KVM-101    [001] d.... 10.000009000: kvm_entry: vcpu 1, rip 0xffffffff81000000
         CPU 0/KVM-100    [000] d.... 10.000010000: kvm_mmio: mmio unsatisfied-read len 4 gpa 0xfebd0000 val 0x0
         CPU 0/KVM-100    [000] d.... 10.000011000: kvm_userspace_exit: reason KVM_EXIT_MMIO (6)
         CPU 1/KVM-101    [001] d.... 10.000012000: kvm_pio: pio_write at 0x20 size 1 count 1 val 0x0 
         CPU 1/KVM-101    [001] d.... 10.000013500: kvm_entry: vcpu 1, rip 0xffffffff81000000
         CPU 0/KVM-100    [000] d.... 10.000017000: kvm_mmio: mmio read len 4 gpa 0xfebd0000 val 0x1
         CPU 0/KVM-100    [000] d.... 10.000020000: kvm_msr: msr_write 6e0 = 0x12345
         CPU 0/KVM-100    [000] d.... 10.000020300: kvm_fast_mmio: fast mmio at gpa 0xfe003000
         CPU 0/KVM-100    [000] d.... 10.000030000: kvm_userspace_exit: reason restart (4)
         CPU 0/KVM-100    [000] d.... 10.000031000: kvm_msr: msr_read 1b = 0xfee00900 (#GP)
        """;

    [Fact]
    public void Each_event_starts_completes_or_ends_an_exit_as_the_kernel_traces_it()
    {
        var trace = Assert.Single(MeasurementImporter.ImportText(Mixed, "mixed.txt"));
        ReasonMeasurement Row(string name, ExitPath path) => trace.Reasons.Single(r => r.Name == name && r.Path == path);

        // A userspace PIO read has no kvm_pio before KVM_EXIT_IO: its kvm_pio fires on re-entry, once QEMU gave the value.
        var io = Row("IO_INSTRUCTION", ExitPath.Userspace);
        Assert.Equal(2, io.Count);
        Assert.Equal([7000.0], io.Durations!);               // thread 1: kvm_pio write → kvm_entry
        Assert.Equal([4000.0], io.Partial!.RoundTripNs);     // thread 0: KVM_EXIT_IO → kvm_pio read
        // An MMIO read to userspace: unsatisfied-read → KVM_EXIT_MMIO → read (completion on re-entry).
        Assert.Equal([7000.0], Row("EPT_MISCONFIG", ExitPath.Userspace).Durations!);
        Assert.Equal([1500.0], Row("IO_INSTRUCTION", ExitPath.Kernel).Durations!); // ioeventfd port, kvm_pio → kvm_entry
        // No marked end: the gap to the thread's next exit event bounds the rest (the restart is not an exit).
        Assert.Equal([300.0], Row("MSR_WRITE", ExitPath.Kernel).Partial!.RestBoundNs);
        Assert.Equal([10_700.0], Row("EPT_MISCONFIG", ExitPath.Kernel).Partial!.RestBoundNs);
        var read = Row("MSR_READ", ExitPath.Kernel);
        Assert.Equal((1, 1L), (read.Count, read.Partial!.Unmarked));
        Assert.Empty(read.Partial.RestBoundNs);
        Assert.Equal(6, trace.Reasons.Count);
        Assert.Contains(trace.Notes, n => n.Contains("restart/error/KVM_EXIT_INTR", StringComparison.Ordinal));
        Assert.Equal(2, trace.Vcpus!.Count);
        Assert.Equal("2 threads with vCPU events (vcpu 1; CPU 0/KVM … CPU 1/KVM)", trace.Vcpus.Evidence);
        Assert.Equal(30e-6, trace.IntervalSeconds!.Value, 12);
    }

    [Fact]
    public void An_exit_the_trace_shows_only_in_part_gets_a_cost_from_what_it_shows()
    {
        var trace = Assert.Single(MeasurementImporter.ImportText(Mixed, "mixed.txt"));

        var result = ScenarioCalibrator.Calibrate([trace], new CalibrationOptions { Name = "mixed" });

        var msr = result.Scenario.Exits.Single(e => e.Reason == "MSR_WRITE");
        // The typical 1 µs of an in-kernel exit cannot be: the next exit came 300 ns after the kvm_msr.
        Assert.Equal("lognormal(mean=300ns, cv=0.5)", msr.Costs.Handle!.Format());
        Assert.Contains("capped at 300ns", result.Annotations["MSR_WRITE.handle"], StringComparison.Ordinal);
        var io = result.Scenario.Exits.Single(e => e.Reason == "IO_INSTRUCTION");
        Assert.Equal([ExitPath.Kernel, ExitPath.Userspace], io.Paths.Select(p => p.Path));
        Assert.Equal("const(7us)", io.Paths[1].Costs.Handle!.Format());
        Assert.Contains("1 of 2 exits have a marked end", result.Annotations["IO_INSTRUCTION.paths.userspace.handle"], StringComparison.Ordinal);
        Assert.Equal(2, result.Scenario.Vm.Vcpus);
        Assert.Contains(result.Notes, n => n == "vCPUs: 2, inferred from mixed.txt: 2 threads with vCPU events (vcpu 1; CPU 0/KVM … CPU 1/KVM); --vcpus overrides");
    }

    [Fact]
    public void Without_kvm_userspace_exit_events_the_path_is_not_known()
    {
        const string text = """
             CPU 0/KVM-100    [000] d.... 10.000001000: kvm_pio: pio_write at 0x70 size 1 count 1 val 0x0 
             CPU 0/KVM-100    [000] d.... 10.000040000: kvm_pio: pio_write at 0x70 size 1 count 1 val 0x0 
            """;

        var trace = Assert.Single(MeasurementImporter.ImportText(text, "pio.txt"));

        var io = Assert.Single(trace.Reasons);
        Assert.Null(io.Path);
        Assert.Contains(trace.Notes, n => n.StartsWith("no kvm_userspace_exit events", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("twice")]
    [InlineData("backwards")]
    [InlineData("shuffled")]
    public void A_trace_out_of_time_order_is_refused_at_the_first_line_that_goes_back(string how)
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("ftrace-kvm__toy-vmm-realmode-2016-pio-userspace-exit.txt"));
        string[] broken = how switch
        {
            "twice" => [.. lines, .. lines],                                  // a capture concatenated twice
            "backwards" => [.. lines[..10], lines[11], lines[10], .. lines[12..]], // two events swapped
            _ => [lines[0], .. lines[1..].Reverse()],
        };
        int expected = how switch { "twice" => lines.Length + 2, "backwards" => 12, _ => 3 };

        var error = Assert.Throws<CalibrationInputException>(() => MeasurementImporter.ImportText(string.Join("\n", broken) + "\n", "toy.txt"));

        Assert.Equal(expected, error.Line);
        Assert.Equal(broken[expected - 1].IndexOf("2323301.", StringComparison.Ordinal) + 1, error.Column);
        Assert.Contains("out of time order", error.Message, StringComparison.Ordinal);
    }
}
