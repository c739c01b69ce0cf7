namespace ExitSim.Probe.Validation;

/// <summary>
/// The workloads <c>exitsim probe --validate</c> runs. Between them they cover compute between
/// exits, userspace and in-kernel PIO and MMIO, emulation delays and notification batching.
/// </summary>
public static class ValidationSuite
{
    public static IReadOnlyList<ValidationWorkload> Default { get; } =
    [
        new("pio-emulated", "an emulated register: one port write per request, 5us of device emulation in userspace",
            20_000, [new(ProbeExit.UserspacePio, 1, 5_000)]),
        new("mmio-emulated", "two MMIO register writes per request, 2us of emulation each",
            20_000, [new(ProbeExit.UserspaceMmio, 2, 2_000)]),
        new("notify-each", "a virtio-style kick handled in the kernel (ioeventfd MMIO) after every small request",
            5_000, [new(ProbeExit.IoEventFdMmio, 1)]),
        new("notify-batched", "the same work as notify-each, sixteen requests' worth per kick",
            80_000, [new(ProbeExit.IoEventFdMmio, 1)]),
        new("mixed", "two emulated port writes (3us each) and four ioeventfd MMIO kicks around 40us of compute",
            40_000, [new(ProbeExit.UserspacePio, 2, 3_000), new(ProbeExit.IoEventFdMmio, 4)]),
        new("exit-bound", "little compute: a kernel port kick and an MMIO write forwarded to userspace with no emulation delay",
            1_000, [new(ProbeExit.IoEventFdPio, 1), new(ProbeExit.UserspaceMmio, 1)]),
        // One reason on two paths: IO_INSTRUCTION to QEMU for a register and to an ioeventfd for the kick.
        new("pio-two-paths", "32 small requests: an emulated port register write each (1us in userspace), one ioeventfd port kick for all",
            32 * 4_000, [new(ProbeExit.UserspacePio, 32, 1_000), new(ProbeExit.IoEventFdPio, 1)]),
    ];
}
