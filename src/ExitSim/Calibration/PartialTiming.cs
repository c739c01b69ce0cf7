namespace ExitSim.Calibration;

/// <summary>
/// What a trace without kvm_exit shows of the exits of one reason and path whose end no event marks, in ns. (Exits whose
/// start and end the trace marks are in <see cref="ReasonMeasurement.Durations"/> instead.)
/// </summary>
public sealed record PartialTiming
{
    /// <summary>Exits whose end no event marks (no kvm_entry, no completion of a read).</summary>
    public required long Unmarked { get; init; }

    /// <summary>From the access event (kvm_pio, kvm_mmio) to kvm_userspace_exit: KVM's part before the exit reaches the VMM.</summary>
    public double[] ToUserspaceNs { get; init; } = [];

    /// <summary>From kvm_userspace_exit to the event that marks the way back into the guest, for exits that began with no traced event.</summary>
    public double[] RoundTripNs { get; init; } = [];

    /// <summary>
    /// For unmarked exits: from their last event to the same thread's next exit event. Each is an upper bound of the rest of
    /// its exit, since it also holds the guest time before the next exit.
    /// </summary>
    public double[] RestBoundNs { get; init; } = [];
}
