using ExitSim.Scenarios;

namespace ExitSim.Optimisations;

/// <summary>
/// iothread-vq-mapping (QEMU 9.0, hw/block/virtio-blk.c): a virtio-blk's queues spread round-robin over several
/// IOThreads, here one per vCPU, instead of all running in one IOThread's AioContext.
/// </summary>
public sealed class IothreadVqMapping : Optimisation
{
    public override string Name => "iothread-vq-mapping";
    public override string Description => "the virtio-blk disk's queues spread round-robin over one IOThread per vCPU (iothread-vq-mapping, QEMU 9.0) instead of one IOThread";
    public override string Mechanism =>
        "with one IOThread every queue's requests (devices.disk.qemu each) queue on one thread, whose core caps the disk's request rate; with the mapping queue q " +
        "is served by IOThread q mod N, so submission work runs on N threads and cores in parallel, each polling its own queues; needs virtio-blk with at least one queue per vCPU";
    public override string Summary =>
        "The virtio-blk queues are spread over one IOThread per vCPU, so per-request QEMU work no longer serialises on a single IOThread.";
    public override string Source => "QEMU hw/block/virtio-blk.c (iothread-vq-mapping, apply_iothread_vq_mapping: round-robin), QEMU 9.0 changelog; Hajnoczi, KVM Forum 2023 \"IOThread Virtqueue Mapping\"";

    public override Scenario Apply(Scenario s) =>
        s.Devices.Disk is { } d ? s with { Devices = s.Devices with { Disk = d with { Dataplane = Dataplane.Iothread, Iothreads = s.Vm.Vcpus } } } : s;
}
