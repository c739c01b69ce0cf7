using ExitSim.Model;

namespace ExitSim.Scenarios;

/// <summary>Rules on a device's dataplane settings that the loader and the optimisation catalog both enforce.</summary>
public static class DeviceSpecs
{
    /// <summary>
    /// Why the disk's <c>iothreads</c> cannot be, or null. iothread-vq-mapping is a virtio-blk property (hw/block/virtio-blk.c,
    /// QEMU 9.0) that assigns the queues to the IOThreads round-robin (apply_iothread_vq_mapping), so it needs IOThreads as
    /// the dataplane and at least as many queues as threads (an IOThread without a queue would serve nothing).
    /// </summary>
    public static string? IothreadsProblem(DeviceSpec d)
    {
        if (d.Iothreads <= 1) return null;
        if (d.Model != DeviceModelKind.VirtioBlk)
            return $"iothreads: {d.Iothreads} is iothread-vq-mapping, a virtio-blk property (QEMU 9.0), but the disk is {DeviceModels.Name(d.Model)} (use model: virtio-blk, or one IOThread)";
        if (d.Dataplane != Dataplane.Iothread)
            return $"iothreads: {d.Iothreads} are QEMU IOThreads but the disk's dataplane is {ScenarioLoader.DataplaneName(d.Dataplane)} (set dataplane: iothread)";
        if (d.Iothreads > d.Queues)
            return $"iothreads: {d.Iothreads} but the disk has {d.Queues} queue(s): iothread-vq-mapping gives each IOThread at least one queue (raise queues: or lower iothreads:)";
        return null;
    }

    /// <summary>Why the disk's <c>aio</c>/<c>complete</c> cannot be, or null.</summary>
    public static string? AioProblem(DeviceSpec d)
    {
        if (d.Aio == AioEngine.Unmodelled)
            return d.Complete is null ? null : "complete: is the front end's time per completion of the AIO engine: give aio: threads|native|io_uring too";
        if (Model.DeviceModels.Passthrough(d.Model))
            return $"aio: {AioName(d.Aio)} is QEMU's block AIO engine, but a passed-through (vfio) disk is driven by the guest directly (drop aio:)";
        if (d.Dataplane == Dataplane.Vhost)
            return $"aio: {AioName(d.Aio)} is QEMU's block AIO engine, but vhost-scsi submits from the kernel's LIO target (drop aio:)";
        if (d.Complete is null)
            return $"aio: {AioName(d.Aio)} routes completions through the front-end thread and needs its time per completion (complete: lognormal(mean=1us, cv=0.5))";
        return null;
    }

    public static string AioName(AioEngine a) => a switch { AioEngine.Threads => "threads", AioEngine.Native => "native", AioEngine.IoUring => "io_uring", _ => "" };
}
