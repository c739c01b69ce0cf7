using ExitSim.Model;
using ExitSim.Optimisations;
using YamlDotNet.RepresentationModel;

namespace ExitSim.Scenarios;

// The sections of the workload layer: workload:, devices:, interrupts:, memory:, optimisations:.
public static partial class ScenarioLoader
{
    private static WorkloadSpec ReadWorkload(YamlSection s, string? baseDir)
    {
        var kindNode = s.Required("kind", "closed");
        var kind = Enum(s, kindNode, "kind", ("closed", WorkloadKind.Closed), ("open", WorkloadKind.Open));
        var clientsNode = s["clients"];
        var thinkNode = s["think"];
        var rateNode = s["rate"];
        if (kind == WorkloadKind.Closed && rateNode is not null)
            throw s.Error(rateNode, "'rate' is for kind: open (a closed workload has 'clients' and 'think')");
        if (kind == WorkloadKind.Open && (clientsNode ?? thinkNode) is { } wrong)
            throw s.Error(wrong, "'clients' and 'think' are for kind: closed (an open workload has 'rate', e.g. rate: 20k/s)");
        var spec = new WorkloadSpec
        {
            Kind = kind,
            Clients = kind == WorkloadKind.Closed ? Int(s, s.Required("clients", "32"), "clients", 1, ScenarioLimits.MaxTotalClients) : 0,
            Think = thinkNode is not null && !YamlSection.IsNull(thinkNode) ? TimeDist(s, thinkNode, "think", baseDir) : null,
            Rate = kind == WorkloadKind.Open ? Rate(s, s.Required("rate", "20k/s"), "rate") : 0,
            PingPong = s["ping_pong"] is { } pp && Enum(s, pp, "ping_pong", ("true", true), ("false", false)),
            Operation = ReadOperation(Map(s, s.Required("op", "{ compute: lognormal(mean=100us, cv=0.8), disk_io: 1 }"), "op"), baseDir),
        };
        if (kind == WorkloadKind.Open && spec.Rate <= 0) throw s.Error(rateNode!, "'rate' must be greater than zero (e.g. rate: 20k/s)");
        if (spec.PingPong && (kind != WorkloadKind.Closed || spec.Think is not null || spec.Operation.NetRx > 0 || spec.Operation.NetTx > 0))
            throw s.Error(s["ping_pong"]!, "'ping_pong' is for kind: closed without think and without net_rx/net_tx (each operation wakes the next on another vCPU)");
        s.RejectUnknownKeys();
        return spec;
    }

    private static OperationSpec ReadOperation(YamlSection s, string? baseDir)
    {
        var op = new OperationSpec
        {
            Name = Str(s, "name") ?? "operation",
            Compute = TimeDist(s, s.Required("compute", "lognormal(mean=100us, cv=0.8)"), "compute", baseDir),
            DiskIo = s["disk_io"] is { } d ? Number(s, d, "disk_io", 0, 1000, allowZero: true, "3") : 0,
            NetRx = s["net_rx"] is { } r ? Int(s, r, "net_rx", 0, 1000) : 0,
            NetTx = s["net_tx"] is { } t ? Int(s, t, "net_tx", 0, 1000) : 0,
        };
        s.RejectUnknownKeys();
        return op;
    }

    private static DevicesSpec ReadDevices(YamlSection s, string? baseDir, HostDefaults defaults, int vcpus)
    {
        var spec = new DevicesSpec
        {
            Disk = s["disk"] is { } d && !YamlSection.IsNull(d) ? ReadDevice(Map(s, d, "disk"), baseDir, disk: true, defaults, vcpus) : null,
            Nic = s["nic"] is { } n && !YamlSection.IsNull(n) ? ReadDevice(Map(s, n, "nic"), baseDir, disk: false, defaults, vcpus) : null,
        };
        s.RejectUnknownKeys();
        return spec;
    }

    private static DeviceSpec ReadDevice(YamlSection s, string? baseDir, bool disk, HostDefaults defaults, int vcpus)
    {
        var modelNode = s.Required("model", disk ? "virtio-blk" : "virtio-net");
        var model = disk
            ? Enum(s, modelNode, "model", ("ide", DeviceModelKind.Ide), ("ahci", DeviceModelKind.Ahci), ("virtio-blk", DeviceModelKind.VirtioBlk), ("virtio-scsi", DeviceModelKind.VirtioScsi), ("vfio", DeviceModelKind.Vfio))
            : Enum(s, modelNode, "model", ("e1000", DeviceModelKind.E1000), ("virtio-net", DeviceModelKind.VirtioNet), ("vfio", DeviceModelKind.Vfio));
        bool passthrough = DeviceModels.Passthrough(model);
        bool virtio = DeviceModels.IsVirtio(model);
        var queuesNode = s["queues"];
        var dataplaneNode = s["dataplane"];
        var iothreadsNode = s["iothreads"];
        var pollNode = s["poll_max"];
        var aioNode = s["aio"];
        var spec = new DeviceSpec
        {
            Model = model,
            Queues = queuesNode is not null ? Int(s, queuesNode, "queues", 1, 1024) : virtio && disk && defaults.BlockQueuePerVcpu ? Math.Min(vcpus, 1024) : 1,
            Depth = s["depth"] is { } dn ? Int(s, dn, "depth", 1, 65_536) : null,
            // iothreads: N alone means IOThreads (iothread-vq-mapping).
            Dataplane = dataplaneNode is not null ? ReadDataplane(s, dataplaneNode, disk, model)
                : iothreadsNode is not null ? Dataplane.Iothread
                : virtio && !disk && defaults.NetVhost ? Dataplane.Vhost : Dataplane.Qemu,
            Iothreads = iothreadsNode is not null ? Int(s, iothreadsNode, "iothreads", 1, 1024) : 1,
            PollMaxNs = pollNode is not null ? Time(s, pollNode, "poll_max", allowZero: true, allowCycles: false).Value : disk ? defaults.IothreadPollMaxNs : 0,
            Aio = aioNode is not null ? Enum(s, aioNode, "aio", ("threads", AioEngine.Threads), ("native", AioEngine.Native), ("io_uring", AioEngine.IoUring)) : AioEngine.Unmodelled,
            Complete = s["complete"] is { } cn && !YamlSection.IsNull(cn) ? TimeDist(s, cn, "complete", baseDir) : null,
            Qemu = s["qemu"] is { } q && !YamlSection.IsNull(q) ? Dist(s, q, "qemu", baseDir) : null,
            Vhost = s["vhost"] is { } v && !YamlSection.IsNull(v) ? Dist(s, v, "vhost", baseDir) : null,
            // The NIC's back end (host bridge, tap, wire) is optional: without it a packet costs only its front-end work.
            Backend = disk ? TimeDist(s, s.Required("backend", "lognormal(mean=100us, cv=0.8)"), "backend", baseDir)
                : s["backend"] is { } nb && !YamlSection.IsNull(nb) ? TimeDist(s, nb, "backend", baseDir) : null,
            Channels = s["channels"] is { } c ? Int(s, c, "channels", 1, 65_536) : 1,
            Driver = s["driver"] is { } dr ? Enum(s, dr, "driver", ("kernel", NicDriver.Kernel), ("pmd", NicDriver.Pmd)) : NicDriver.Kernel,
        };
        if (spec.Driver == NicDriver.Pmd && (disk || DeviceModels.Emulated(model)))
            throw s.Error(s["driver"]!, disk ? "driver: pmd is a NIC's (a DPDK app polls its rings); a disk is driven by the guest kernel"
                : $"driver: pmd is modelled for virtio-net and vfio NICs, not an emulated {DeviceModels.Name(model)} (use virtio-net)");
        if (passthrough && (dataplaneNode ?? NonNull(s, "qemu") ?? NonNull(s, "vhost")) is { } host)
            throw s.Error(host, "a passed-through (vfio) device DMAs straight into guest memory: no QEMU, vhost or IOThread work per " +
                                (disk ? "request" : "packet") + " (remove dataplane:, qemu: and vhost:)");
        if (!virtio && !passthrough && spec.Queues > 1)
            throw s.Error(queuesNode!, $"an emulated {DeviceModels.Name(model)} has one queue (multi-queue needs a virtio model)");
        if (!virtio && spec.Dataplane != Dataplane.Qemu)
            throw s.Error(dataplaneNode!, $"{DataplaneName(spec.Dataplane)} serves virtio queues, not an emulated {DeviceModels.Name(model)} (use a virtio model)");
        if (iothreadsNode is not null && DeviceSpecs.IothreadsProblem(spec) is { } io) throw s.Error(iothreadsNode, io);
        if (!disk && aioNode is not null)
            throw s.Error(aioNode, "aio is QEMU's block AIO engine (-drive aio=): a disk's setting, not a NIC's");
        if (disk && DeviceSpecs.AioProblem(spec) is { } aio) throw s.Error(aioNode ?? s["complete"]!, aio);
        if (!disk && pollNode is not null)
            throw s.Error(pollNode, "poll_max is an IOThread's poll-max-ns and IOThreads serve disks (a NIC's poll mode is its vhost/DPDK back end's)");
        if (spec.Dataplane == Dataplane.Vhost && spec.Vhost is null && dataplaneNode is null)
            throw s.Error(modelNode, $"virtio-net is served by vhost-net under host.defaults {defaults.Name} (libvirt's default) and needs its time per packet " +
                                     "(give vhost: lognormal(mean=1.5us, cv=0.5), or set dataplane: qemu)");
        if (spec.Dataplane is Dataplane.Vhost or Dataplane.VhostUser && spec.Vhost is null)
            throw s.Error(dataplaneNode!, $"dataplane: {DataplaneName(spec.Dataplane)} needs its worker's time per {(disk ? "request" : "packet")} (vhost: lognormal(mean=1.5us, cv=0.5))");
        if (spec.Qemu is null && (virtio && spec.Dataplane is Dataplane.Qemu or Dataplane.Iothread || model == DeviceModelKind.E1000))
            throw s.Error(modelNode, $"{DeviceModels.Name(model)} needs QEMU's time per {(disk ? "request" : "packet")} (qemu: lognormal(mean=5us, cv=0.5))");
        s.RejectUnknownKeys();
        return spec;
    }

    private static YamlNode? NonNull(YamlSection s, string key) => s[key] is { } n && !YamlSection.IsNull(n) ? n : null;

    public static string DataplaneName(Dataplane d) => d switch
    {
        Dataplane.Vhost => "vhost", Dataplane.Iothread => "iothread", Dataplane.VhostUser => "vhost-user", _ => "qemu",
    };

    /// <summary>
    /// vhost on a disk is vhost-scsi (drivers/vhost/scsi.c): mainline Linux has no vhost-blk. vhost-user is a separate
    /// process serving the rings: qemu-storage-daemon or SPDK for a disk, an OVS-DPDK polling back end for a NIC.
    /// </summary>
    private static Dataplane ReadDataplane(YamlSection s, YamlNode node, bool disk, DeviceModelKind model)
    {
        var d = Enum(s, node, "dataplane", ("qemu", Dataplane.Qemu), ("vhost", Dataplane.Vhost), ("iothread", Dataplane.Iothread), ("vhost-user", Dataplane.VhostUser));
        if (disk && d == Dataplane.Vhost && model != DeviceModelKind.VirtioScsi)
            throw s.Error(node, "dataplane: vhost on a disk is vhost-scsi and needs model: virtio-scsi; mainline Linux has no vhost-blk (use iothread or vhost-user for virtio-blk)");
        if (!disk && d == Dataplane.Iothread)
            throw s.Error(node, "a QEMU IOThread serves virtio-blk/virtio-scsi queues: a virtio-net NIC's own worker is dataplane: vhost (vhost-net)");
        return d;
    }

    private static InterruptSpec ReadInterrupts(YamlSection s, string? baseDir)
    {
        var spec = new InterruptSpec
        {
            Handler = s["handler"] is { } h && !YamlSection.IsNull(h) ? TimeDist(s, h, "handler", baseDir) : null,
            Masked = s["masked"] is { } m ? Share(s, m, "masked") : 0,
            Apic = s["apic"] is { } a ? Enum(s, a, "apic", ("x2apic", ApicMode.X2apic), ("xapic", ApicMode.Xapic)) : ApicMode.X2apic,
            Wake = s["wake"] is { } w && !YamlSection.IsNull(w) ? TimeDist(s, w, "wake", baseDir) : null,
        };
        s.RejectUnknownKeys();
        return spec;
    }

    private static MemorySpec ReadMemory(YamlSection s)
    {
        var spec = new MemorySpec
        {
            TouchBytesPerSecond = s["touch_rate"] is { } t ? ByteRate(s, t, "touch_rate") : 0,
            TlbOverhead = s["tlb_overhead"] is { } o ? Share(s, o, "tlb_overhead") : 0,
            ZeroBytesPerSecond = s["zero_rate"] is { } z ? ByteRate(s, z, "zero_rate", ScenarioLimits.MinZeroBytesPerSecond) : 0,
        };
        s.RejectUnknownKeys();
        return spec;
    }

    private static EquatableArray<string> ReadOptimisations(YamlSection top, YamlNode node, HostSpec host)
    {
        if (node is not YamlSequenceNode seq) throw top.Error(node, "'optimisations' must be a list (e.g. optimisations: [virtio, hugepages-2m, apicv])");
        var names = new List<string>();
        foreach (var item in seq)
        {
            string name = Scalar(top, item, "optimisations").Value ?? "";
            if (OptimisationCatalog.Problem(name, host.Vendor) is { } problem) throw top.Error(item, WithHint(problem, "see: exitsim list optimisations"));
            if (names.Contains(name)) throw top.Error(item, $"optimisation '{name}' is listed twice (list each once)");
            names.Add(name);
        }
        return names.ToEquatableArray();
    }
}
