namespace ExitSim.Simulation.Host;

/// <summary>The order in which the host scheduler's quantum boundary hands out cores (<see cref="HostScheduler"/>).</summary>
internal static class RunOrder
{
    /// <summary>
    /// The order the boundary's round-robin takes: the VMs' vCPUs interleaved (VM 0's first, VM 1's first, …, VM 0's
    /// second, …), then the host threads. CFS spreads a VM's vCPU threads over the cores' run queues, where they share
    /// cores with other VMs' threads: at any time about 1/k of each VM's vCPUs run at k× overcommit. Taking the threads in
    /// index order would instead run whole VMs in turn (gang scheduling, which CFS does not do).
    /// </summary>
    public static int[] Interleaved(int vcpus, int perVm, int threads)
    {
        int vms = vcpus / perVm;
        var order = new int[vcpus + threads];
        for (int p = 0; p < vcpus; p++) order[p] = (p % vms) * perVm + p / vms;
        for (int p = vcpus; p < order.Length; p++) order[p] = p;
        return order;
    }
}
