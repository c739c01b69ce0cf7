using ExitSim.Distributions;

namespace ExitSim.Scenarios;

/// <summary>Open: operations arrive at a rate. Closed: a fixed number of clients, each with one operation in flight.</summary>
public enum WorkloadKind : byte { Open, Closed }

/// <summary>
/// The application the VM runs: operations (a transaction, an HTTP request, a map task) that cost
/// guest compute, disk requests and network packets. With a workload the I/O, interrupt, idle and
/// memory exits come out of the devices and the vCPUs instead of being given as rates.
/// </summary>
public sealed record WorkloadSpec
{
    public required WorkloadKind Kind { get; init; }
    /// <summary>Closed: clients per VM, each with one operation in flight.</summary>
    public int Clients { get; init; }
    /// <summary>Closed: time a client waits between a reply and its next request (null = none).</summary>
    public Distribution? Think { get; init; }
    /// <summary>Open: operations per second per VM (Poisson arrivals).</summary>
    public double Rate { get; init; }
    /// <summary>
    /// Closed, no think time, no packets: each finished operation wakes its client's next one on the next vCPU of the
    /// VM (a thread woken by another vCPU, as a client and a server passing a message; with 2 vCPUs a ping-pong).
    /// </summary>
    public bool PingPong { get; init; }
    public required OperationSpec Operation { get; init; }
}

/// <summary>One application operation. Its compute is split evenly around its disk requests, which are issued one after another.</summary>
public sealed record OperationSpec
{
    public string Name { get; init; } = "operation";
    /// <summary>Guest CPU time per operation with no page-walk overhead.</summary>
    public required Distribution Compute { get; init; }
    /// <summary>Mean disk requests per operation: the whole part always, one more with the fractional part's probability.</summary>
    public double DiskIo { get; init; }
    /// <summary>Packets received per operation (the request); 0 = the operation starts inside the guest.</summary>
    public int NetRx { get; init; }
    /// <summary>Packets sent per operation (the reply).</summary>
    public int NetTx { get; init; }
}

/// <summary>
/// Storage and network models. Emulated: ide, ahci, e1000; paravirtual: virtio-blk, virtio-scsi, virtio-net;
/// <see cref="Vfio"/> is a passed-through device (an SR-IOV VF or an NVMe drive through VFIO).
/// </summary>
public enum DeviceModelKind : byte { Ide, Ahci, VirtioBlk, VirtioScsi, E1000, VirtioNet, Vfio }

/// <summary>
/// Where a virtio device's queues are processed: QEMU's main loop (under the BQL), a vhost kernel worker (vhost-net
/// per queue, drivers/vhost/net.c; vhost-scsi per virtio-scsi disk, drivers/vhost/scsi.c; mainline Linux has no
/// vhost-blk), a QEMU IOThread (<c>-object iothread</c>, virtio-blk/scsi <c>iothread=</c>): the same QEMU request code
/// on its own thread and AioContext (disks only), or a vhost-user back end: a separate process (qemu-storage-daemon,
/// SPDK) that serves a disk's rings from its own event loop, or a NIC's polling back end on dedicated cores (OVS-DPDK).
/// </summary>
public enum Dataplane : byte { Qemu, Vhost, Iothread, VhostUser }

/// <summary>
/// The guest's NIC driver: the kernel's (interrupt-driven NAPI), or a DPDK poll-mode driver that busy-polls its rings
/// from the application's threads, with interrupts off (VRING_AVAIL_F_NO_INTERRUPT) and no HLT.
/// </summary>
public enum NicDriver : byte { Kernel, Pmd }

/// <summary>
/// QEMU's block AIO engine (<c>-drive aio=</c>): threads hands each request to a thread-pool worker that does a blocking
/// preadv/pwritev (util/thread-pool.c); native submits with io_submit (block/linux-aio.c) and io_uring with io_uring_enter
/// (block/io_uring.c, QEMU ≥ 5.0) from the AioContext's own thread. Unmodelled: the completion reaches the guest
/// straight from the storage, its work folded into <c>qemu</c>.
/// </summary>
public enum AioEngine : byte { Unmodelled, Threads, Native, IoUring }

public sealed record DeviceSpec
{
    public required DeviceModelKind Model { get; init; }
    /// <summary>Virtqueues (virtio multi-queue, num_queues); emulated devices have one.</summary>
    public int Queues { get; init; } = 1;
    /// <summary>Requests the device accepts at once per queue; null = the model's (ide 1, ahci 32, virtio-blk 256, virtio-scsi 128).</summary>
    public int? Depth { get; init; }
    public Dataplane Dataplane { get; init; } = Dataplane.Qemu;
    /// <summary>IOThreads serving a virtio-blk's queues round-robin (QEMU 9.0 <c>iothread-vq-mapping</c>); 1 = one <c>iothread=</c>.</summary>
    public int Iothreads { get; init; } = 1;
    /// <summary>
    /// An IOThread's (or vhost-user daemon's) adaptive polling maximum, <c>poll-max-ns</c> (0 = never polls); the loader
    /// fills in the host defaults' value when the scenario gives none.
    /// </summary>
    public double PollMaxNs { get; init; }
    /// <summary>The disk's block AIO engine; anything but Unmodelled routes completions through the front-end thread.</summary>
    public AioEngine Aio { get; init; }
    /// <summary>Front-end time per completion (the AIO callback, virtqueue push, irqfd write), with <see cref="Aio"/>.</summary>
    public Distribution? Complete { get; init; }
    /// <summary>QEMU time per virtio request or packet (pop the descriptor, map, submit), on the main loop or an IOThread.</summary>
    public Distribution? Qemu { get; init; }
    /// <summary>Worker time per packet or request outside QEMU: vhost-net, vhost-scsi, a vhost-user daemon or polling back end (OVS-DPDK).</summary>
    public Distribution? Vhost { get; init; }
    /// <summary>The guest's driver (NICs only).</summary>
    public NicDriver Driver { get; init; } = NicDriver.Kernel;
    /// <summary>Service time of the host side: the storage for a disk (required), the bridge/tap/wire for a NIC (optional).</summary>
    public Distribution? Backend { get; init; }
    /// <summary>Requests or packets the back end serves in parallel.</summary>
    public int Channels { get; init; } = 1;
}

public sealed record DevicesSpec
{
    public DeviceSpec? Disk { get; init; }
    public DeviceSpec? Nic { get; init; }
}

/// <summary>How the guest's local APIC is accessed, which decides what an EOI or an IPI exits as.</summary>
public enum ApicMode : byte { X2apic, Xapic }

public sealed record InterruptSpec
{
    /// <summary>Guest time in one interrupt handler (top half plus the completion work it does).</summary>
    public Distribution? Handler { get; init; }
    /// <summary>Share of guest time with interrupts masked: an interrupt then costs an INTERRUPT_WINDOW exit too.</summary>
    public double Masked { get; init; }
    public ApicMode Apic { get; init; } = ApicMode.X2apic;
    /// <summary>Scheduler wake-up of a blocked vCPU thread ("a few micro-seconds", docs/kvm-facts.md §3.4).</summary>
    public Distribution? Wake { get; init; }
}

public sealed record MemorySpec
{
    /// <summary>Guest memory touched for the first time, bytes per second of guest time per vCPU: one EPT_VIOLATION per new backing page.</summary>
    public double TouchBytesPerSecond { get; init; }
    /// <summary>Share of guest compute added by two-dimensional page walks with 4 KiB guest and host pages.</summary>
    public double TlbOverhead { get; init; }
    /// <summary>
    /// Host bandwidth for clearing a new backing page at its first-touch fault (0 = memory is preallocated,
    /// e.g. hugetlbfs with -mem-prealloc). A 2 MiB page costs 512 times a 4 KiB one; the 4 KiB part is in the handle cost.
    /// </summary>
    public double ZeroBytesPerSecond { get; init; }
}
