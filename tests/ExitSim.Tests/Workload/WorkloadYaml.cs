namespace ExitSim.Tests.Workload;

/// <summary>A small workload scenario for mechanism tests; each test overrides what it is about.</summary>
internal static class WorkloadYaml
{
    public static string Make(
        string disk = "virtio-blk", string nic = "virtio-net", int clients = 8, string think = "exp(200us)",
        string compute = "exp(40us)", double diskIo = 1, int rx = 1, int tx = 1, string features = "[ept]",
        string haltPoll = "0ns", string pageSize = "4KiB", string touch = "4MiB/s", double masked = 0.05,
        string backend = "exp(100us)", int channels = 8, string duration = "300ms", int vcpus = 4, string kind = "closed",
        string rate = "10k/s", string diskExtra = "", string handler = "const(2us)") => $$"""
        name: workload-test
        host: { vendor: intel, ghz: 2.0, cores: 8, defaults: none, features: {{features}} }
        costs: { save: const(300cyc), handle: "lognormal(mean=800cyc, cv=0.5)", reenter: const(300cyc) }
        vm: { vcpus: {{vcpus}}, page_size: {{pageSize}}, timer_hz: 250, halt_poll: {{haltPoll}} }
        workload:
          kind: {{kind}}
        {{(kind == "closed" ? $"  clients: {clients}\n  think: {think}" : $"  rate: {rate}")}}
          op: { compute: "{{compute}}", disk_io: {{diskIo}}, net_rx: {{rx}}, net_tx: {{tx}} }
        devices:
          disk: { model: {{disk}}, backend: "{{backend}}", channels: {{channels}}, qemu: "lognormal(mean=5us, cv=0.5)"{{diskExtra}} }
          nic: { model: {{nic}}, qemu: "lognormal(mean=4us, cv=0.5)", vhost: "lognormal(mean=1.5us, cv=0.5)" }
        interrupts: { handler: "{{handler}}", masked: {{masked}}, wake: "lognormal(mean=6us, cv=0.5)" }
        memory: { touch_rate: {{touch}}, tlb_overhead: 10% }
        exits:
          IO_INSTRUCTION: { path: userspace, handle: "lognormal(mean=4700cyc, cv=0.3)", emulate: "lognormal(mean=2us, cv=1.0)" }
          EPT_MISCONFIG: { path: userspace, handle: "lognormal(mean=4700cyc, cv=0.3)", emulate: "lognormal(mean=2us, cv=1.0)", ioeventfd: "lognormal(mean=900cyc, cv=0.3)" }
          EXTERNAL_INTERRUPT: { handle: "lognormal(mean=2000cyc, cv=0.5)" }
          MSR_WRITE: { rate: 1k/s }
          PREEMPTION_TIMER: {}
          INTERRUPT_WINDOW: {}
          EPT_VIOLATION: { handle: "lognormal(mean=6000cyc, cv=1.0)" }
          HLT: { handle: "lognormal(mean=3000cyc, cv=0.5)" }
        run: { duration: {{duration}}, warmup: 50ms, replications: 2, seed: 7 }
        """;
}
