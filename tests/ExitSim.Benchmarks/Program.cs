using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using ExitSim.Scenarios;
using ExitSim.Simulation;

namespace ExitSim.Benchmarks;

/// <summary>
/// Simulated exits per wall second on the peer model (scenarios/bench/peer-4vcpu.yaml), one thread.
/// <c>dotnet run -c Release --project tests/ExitSim.Benchmarks</c> runs a quick Release-mode harness
/// (best of 10 runs of 10 simulated seconds; <c>--ms N --runs N</c> change both); add <c>--bdn</c> for the BenchmarkDotNet run.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Contains("--bdn"))
        {
            BenchmarkRunner.Run<PeerBenchmark>(args: args.Where(a => a != "--bdn").ToArray());
            return;
        }
        // --ms N: simulated milliseconds per run (default 10 s); --runs N: timed runs after the warm-up one (default 10).
        double ms = Option(args, "--ms", 10_000);
        int runs = (int)Option(args, "--runs", 10);
        string file = args.Where((a, i) => !a.StartsWith('-') && (i == 0 || !args[i - 1].StartsWith("--"))).FirstOrDefault()
            ?? PeerBenchmark.FindScenario();
        var scenario = ScenarioLoader.LoadFile(file);
        scenario = scenario with { Run = scenario.Run with { Duration = Units.Quantity.Ns(ms * 1e6), Warmup = Units.Quantity.Ns(0) } };
        var model = ModelBuilder.Build(scenario);
        double best = 0, bestEvents = 0;
        for (int i = 0; i <= runs; i++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var r = new Replication(model, 1, i).Run();
            sw.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;   // CPU time: steadier than wall time on a shared machine
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            long exits = r.Reasons.Sum(a => a.Count);
            double rate = exits / sw.Elapsed.TotalSeconds;
            if (i > 0) // the first run warms up the JIT
            {
                best = Math.Max(best, rate);
                bestEvents = Math.Max(bestEvents, r.Events / sw.Elapsed.TotalSeconds);
            }
            // Setup and growth only: per event nothing is allocated, so this stays flat as runs get longer.
            Console.WriteLine($"run {i}: {exits:N0} exits in {sw.Elapsed.TotalMilliseconds:F0} ms ({cpu.TotalMilliseconds:F0} ms CPU) = {rate / 1e6:F2} M exits/s ({r.Events:N0} events, {r.Events / cpu.TotalSeconds / 1e6:F2} M per CPU second, {allocated / 1024.0:N0} KiB allocated)");
        }
        Console.WriteLine($"best: {best / 1e6:F2} M simulated exits per wall second, {bestEvents / 1e6:F2} M events per wall second (one thread, {Path.GetFileName(file)}, {ms:G} ms simulated)");
    }

    private static double Option(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}

[MemoryDiagnoser]
public class PeerBenchmark
{
    private SimulationModel _model = null!;

    public static string FindScenario()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExitSim.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? ".", "scenarios", "bench", "peer-4vcpu.yaml");
    }

    [GlobalSetup]
    public void Setup()
    {
        var s = ScenarioLoader.LoadFile(FindScenario());
        _model = ModelBuilder.Build(s with { Run = s.Run with { Duration = Units.Quantity.Ns(1e8), Warmup = Units.Quantity.Ns(0) } });
    }

    /// <summary>100 ms simulated on 4 vCPUs ≈ 34,500 exits; divide by the mean time for exits/s.</summary>
    [Benchmark]
    public long PeerModel100ms() => new Replication(_model, 1, 0).Run().Reasons.Sum(a => a.Count);
}
