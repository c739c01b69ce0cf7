using ExitSim.Distributions;
using ExitSim.Model;
using ExitSim.Scenarios;
using ExitSim.Simulation.Microbench;

namespace ExitSim.Simulation;

// The exit fastpath's sites, and a vmexit.flat test's model.
public static partial class ModelBuilder
{
    /// <summary>
    /// Copies of reasons' sites taken on the exit fastpath (<see cref="ExitFastpath"/>): the same phases, with the
    /// generic path it skips (<c>host.fastpath_saving</c>) taken off handle, and a cost stream of their own. One copy
    /// per reason site and kind (an ICR write and a TSC_DEADLINE write are both MSR_WRITE), so the tick's re-arm and the
    /// NO_HZ re-arm share theirs.
    /// </summary>
    private sealed class Fastpath(Scenario s)
    {
        private readonly Dictionary<(int, ExitFastpath.Kind), int> _copies = [];
        private readonly double _savingNs = s.Host.FastpathSaving.Resolve(s.Host.Ghz);

        public bool Takes(string reason, ExitFastpath.Kind kind) => ExitFastpath.Takes(s.Host.Vendor, s.Host.Features, reason, kind);

        public int Site(List<ExitSite> sites, int site, ExitFastpath.Kind kind)
        {
            if (_copies.TryGetValue((site, kind), out int copy)) return copy;
            var r = sites[site];
            sites.Add(new ExitSite
            {
                Reason = r.Reason, Path = r.Path, StreamKey = 0x3000 + 0x400 * (int)kind + r.StreamKey,
                Save = r.Save, Handle = r.Handle, Emulate = r.Emulate, Reenter = r.Reenter,
                HandleExtraNs = r.HandleExtraNs - _savingNs, Coalesced = r.Coalesced,
            });
            return _copies[(site, kind)] = sites.Count - 1;
        }
    }

    private static VmexitModel BuildVmexit(Scenario s, VmexitSpec vx, VmexitExits exits, List<ReasonModel> reasons, List<ExitSite> sites, Fastpath fast, IpiSend send, TimerSteps timer)
    {
        double ghz = s.Host.Ghz;
        int Own(string? name) => name is null ? -1 : reasons.FindIndex(r => r.Name == name);
        int Timer(string? name, ExitFastpath.Kind kind, Func<List<ExitSite>, int, int> step) =>
            name is null ? -1 : fast.Takes(name, kind) ? fast.Site(sites, step(sites, Own(name)), kind) : step(sites, Own(name));
        return new VmexitModel
        {
            Test = vx.Test,
            Loop = vx.Loop.ToSampler(ghz),
            Handler = vx.Handler?.ToSampler(ghz) ?? Sampler.Zero,
            Delivery = vx.Delivery?.ToSampler(ghz) ?? Sampler.Zero,
            Ack = vx.Ack?.ToSampler(ghz) ?? Sampler.Zero,
            DeadlineNs = vx.Deadline.Resolve(ghz),
            SiteTest = Own(exits.Test),
            SiteIcr = exits.Icr is null ? -1 : fast.Takes(exits.Icr, ExitFastpath.Kind.IcrWrite)
                ? fast.Site(sites, send.Site(sites, Own(exits.Icr)), ExitFastpath.Kind.IcrWrite) : send.Site(sites, Own(exits.Icr)),
            SiteEoi = Own(exits.Eoi),
            SiteExternalInterrupt = Own(exits.ExternalInterrupt),
            // tscdeadline_immed's deadline has passed when KVM arms it: the write's exit arms and injects (start_hv_timer).
            SiteArm = Timer(exits.Arm, ExitFastpath.Kind.TscDeadlineWrite, vx.Test == VmexitTest.TscdeadlineImmed ? timer.ArmExpired : timer.Arm),
            SiteFire = Timer(exits.Fire, ExitFastpath.Kind.PreemptionTimer, timer.Expiry),
            FiresAtEntry = TimerTick.ExitsAtEntry(s.Host.Vendor, s.Host.Features),
        };
    }
}
