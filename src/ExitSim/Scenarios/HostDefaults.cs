using ExitSim.Model;

namespace ExitSim.Scenarios;

/// <summary>
/// What a host generation turns on when the scenario does not say (<c>host.defaults</c>): the settings a
/// user gets from a stock kernel, QEMU and libvirt without asking. A scenario that writes a setting
/// overrides it; <see cref="HostDefaultsDiff"/> lists where an effective scenario departs from them.
/// Each value's source is in docs/scenarios.md ("Host defaults").
/// </summary>
public sealed record HostDefaults
{
    /// <summary>The name written after <c>host.defaults:</c>.</summary>
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary><c>host.features</c> on an Intel host when the scenario lists none.</summary>
    public EquatableArray<string> IntelFeatures { get; init; } = EquatableArray<string>.Empty;
    /// <summary><c>host.features</c> on an AMD host when the scenario lists none.</summary>
    public EquatableArray<string> AmdFeatures { get; init; } = EquatableArray<string>.Empty;
    /// <summary><c>host.tick_hz</c>: the host kernel's CONFIG_HZ on a busy core (no nohz_full).</summary>
    public double HostTickHz { get; init; }
    /// <summary><c>vm.halt_poll</c>: kvm.halt_poll_ns.</summary>
    public double HaltPollNs { get; init; }
    /// <summary><c>vm.backing</c>: how guest RAM is backed on the host.</summary>
    public MemoryBacking Backing { get; init; } = MemoryBacking.Anonymous;
    /// <summary>Disks and NICs are virtio (what virt-install and libvirt's osinfo choose for a Linux guest); emulated models are a departure.</summary>
    public bool VirtioDevices { get; init; }
    /// <summary>virtio-blk/virtio-scsi get one queue per vCPU (QEMU ≥ 5.2) unless <c>queues</c> is given.</summary>
    public bool BlockQueuePerVcpu { get; init; }
    /// <summary>virtio-net is served by vhost-net (libvirt's choice when /dev/vhost-net exists) unless <c>dataplane</c> is given.</summary>
    public bool NetVhost { get; init; }

    /// <summary><c>devices.disk.poll_max</c>: an IOThread's adaptive polling maximum (QEMU iothread.c IOTHREAD_POLL_MAX_NS_DEFAULT, 32768 ns since 2.9).</summary>
    public double IothreadPollMaxNs { get; init; }

    /// <summary><c>host.cstates</c> on an Intel host when the scenario names none (intel_idle's table; AMD hosts use acpi_idle, not modelled: none).</summary>
    public HostIdleStates IntelIdleStates { get; init; } = HostIdleStates.None;

    public EquatableArray<string> Features(Vendor vendor) => vendor == Vendor.Intel ? IntelFeatures : AmdFeatures;

    public HostIdleStates IdleStates(Vendor vendor) => vendor == Vendor.Intel ? IntelIdleStates : HostIdleStates.None;

    /// <summary>Linux 6.x with QEMU 8.x (and libvirt): what a host installed today runs.</summary>
    public static readonly HostDefaults Current = new()
    {
        Name = "linux-6.x/qemu-8.x",
        Description = "today's stock Linux 6.x, QEMU 8.x and libvirt: APICv on (Intel; AVIC off on AMD), PV EOI, steal time, VT-d posted interrupts for vfio devices, KVM's exit fastpath (Intel), halt polling 200us, a 250 Hz host tick on busy cores, intel_idle C-states (Ice Lake-SP table), " +
                      "guest RAM on transparent huge pages, virtio-blk one queue per vCPU, virtio-net on vhost-net, IOThreads poll adaptively up to 32768ns",
        // exit-fastpath: vmx_exit_handlers_fastpath has handled ICR/TSC_DEADLINE writes and preemption-timer exits since Linux 5.8.
        IntelFeatures = new[] { "ept", "apicv", "pv-eoi", "steal-time", "vtd-pi", "exit-fastpath" }.ToEquatableArray(),
        AmdFeatures = new[] { "npt", "pv-eoi", "steal-time" }.ToEquatableArray(),
        HaltPollNs = 200_000,
        HostTickHz = 250,
        IntelIdleStates = HostIdleStates.IceLakeSp,
        Backing = MemoryBacking.Thp,
        VirtioDevices = true,
        BlockQueuePerVcpu = true,
        NetVhost = true,
        IothreadPollMaxNs = 32_768,
    };

    /// <summary>Nothing on: every setting is what the scenario writes, off where it writes nothing.</summary>
    public static readonly HostDefaults None = new()
    {
        Name = "none",
        Description = "nothing on by default: only EPT/NPT, no halt polling, 4 KiB anonymous pages, one queue, devices served by QEMU",
        IntelFeatures = new[] { "ept" }.ToEquatableArray(),
        AmdFeatures = new[] { "npt" }.ToEquatableArray(),
    };

    public static readonly IReadOnlyList<HostDefaults> All = [Current, None];

    public static HostDefaults? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}

/// <summary>How guest RAM is backed: 4 KiB anonymous pages, transparent huge pages, or preallocated hugetlbfs pages.</summary>
public enum MemoryBacking : byte { Anonymous, Thp, Hugetlbfs }

/// <summary>How a backing and its page size imply each other.</summary>
public static class MemoryBackings
{
    /// <summary>The name a scenario writes (<c>vm.backing</c>).</summary>
    public static string Name(MemoryBacking b) => b.ToString().ToLowerInvariant();

    /// <summary>The page size a backing gives when none is written: 4 KiB anonymous, 2 MiB otherwise (THP only has 2 MiB).</summary>
    public static long PageBytes(MemoryBacking b) => b == MemoryBacking.Anonymous ? 4096 : 2L << 20;

    /// <summary>The backing a page size implies when none is written: 4 KiB anonymous, 2 MiB THP, 1 GiB hugetlbfs (the only way to get it).</summary>
    public static MemoryBacking Of(long pageBytes) => pageBytes switch
    {
        4096 => MemoryBacking.Anonymous,
        2L << 20 => MemoryBacking.Thp,
        _ => MemoryBacking.Hugetlbfs,
    };
}
