namespace ExitSim.Optimisations;

/// <summary>One virtqueue (and interrupt vector) per vCPU.</summary>
public sealed class Multiqueue : Optimisation
{
    public override string Name => "multiqueue";
    public override string Description => "one virtqueue and MSI-X vector per vCPU (virtio-blk/scsi num_queues, virtio-net mq)";
    public override string Mechanism =>
        "each vCPU submits to its own queue and takes its own completion interrupts, so completions no longer land on one vCPU " +
        "that must wake the others with IPIs (an ICR-write exit on the sender, an interrupt on the receiver), and vhost gets one worker per queue; needs virtio devices";
    public override string Summary =>
        "Each vCPU gets its own queue and interrupt vector, so completions no longer need reschedule IPIs (ICR-write exits) to wake the other vCPUs.";
    public override string Source => "seed article (virtio-scsi num_queues=8); Linux blk-mq and virtio-net multiqueue";

    public override Scenarios.Scenario Apply(Scenarios.Scenario s) => WithDevices(s, d => d with { Queues = s.Vm.Vcpus });
}
