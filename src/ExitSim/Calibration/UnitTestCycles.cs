namespace ExitSim.Calibration;

/// <summary>
/// One kvm-unit-tests <c>vmexit.flat</c> result: TSC cycles per iteration of a test
/// (<c>printf("%s %d\n", name, cycles)</c>). A test is not one exit reason, so it is kept apart from reasons.
/// </summary>
public sealed record UnitTestCycles
{
    /// <summary>Test name as printed (<c>cpuid</c>, <c>inl_from_qemu</c>, or a sub-line such as <c>ipi self_ipi_sti_nop</c>).</summary>
    public required string Test { get; init; }

    public required double Cycles { get; init; }

    public required int SourceLine { get; init; }
}
