using ExitSim.Distributions;
using ExitSim.Units;

namespace ExitSim.Scenarios;

/// <summary>The kvm-unit-tests x86/vmexit.c tests ExitSim replays (their names as vmexit.flat prints them).</summary>
public enum VmexitTest : byte { Cpuid, Vmcall, Ipi, TscdeadlineImmed, Tscdeadline }

/// <summary>
/// A kvm-unit-tests <c>vmexit.flat</c> microbenchmark instead of a workload: vCPU 0 repeats one test's guest
/// sequence and every iteration is one operation, so the mean operation latency is the test's printed
/// cycles per iteration. The exits come from the host's rules (APICv, IPIv, the exit fastpaths); what the
/// guest does between them is given here.
/// </summary>
public sealed record VmexitSpec
{
    public required VmexitTest Test { get; init; }
    /// <summary>Guest time per iteration outside the test's exits and interrupt (the loop, rdtsc, the ICR set-up).</summary>
    public required Distribution Loop { get; init; }
    /// <summary>Guest time of the interrupt handler from vectoring to its write the waiting side polls (ipi_done, x++).</summary>
    public Distribution? Handler { get; init; }
    /// <summary>ipi: from the sender's IPI to the running target's vectoring (posted-interrupt notification and delivery).</summary>
    public Distribution? Delivery { get; init; }
    /// <summary>ipi: from the target's write of ipi_done to the spinning sender seeing it (a cache-line transfer).</summary>
    public Distribution? Ack { get; init; }
    /// <summary>tscdeadline: how far ahead of rdtsc() the deadline is armed (vmexit.c: rdtsc()+3000).</summary>
    public Quantity Deadline { get; init; } = DefaultDeadline;
    public static readonly Quantity DefaultDeadline = Quantity.Cycles(3000);

    /// <summary>The test's name as vmexit.flat prints it and a scenario writes it.</summary>
    public static string Name(VmexitTest t) => t switch
    {
        VmexitTest.Cpuid => "cpuid",
        VmexitTest.Vmcall => "vmcall",
        VmexitTest.Ipi => "ipi",
        VmexitTest.TscdeadlineImmed => "tscdeadline_immed",
        _ => "tscdeadline",
    };

    public static readonly VmexitTest[] All = [VmexitTest.Cpuid, VmexitTest.Vmcall, VmexitTest.Ipi, VmexitTest.TscdeadlineImmed, VmexitTest.Tscdeadline];

    /// <summary>Whether the test takes an interrupt each iteration (and so needs a handler time).</summary>
    public static bool Interrupted(VmexitTest t) => t is VmexitTest.Ipi or VmexitTest.TscdeadlineImmed or VmexitTest.Tscdeadline;
}
