using ExitSim.Sweeps;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Workload;

public class OptimisationSweepTests
{
    [Fact]
    public void Optimisation_sets_are_a_sweep_axis_with_a_capacity_answer_each()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-optsweep").FullName, "s.yaml");
        File.WriteAllText(file, WorkloadYaml.Make(disk: "ahci", nic: "e1000", duration: "100ms"));
        var axes = new[] { SweepAxis.Parse("workload.clients=4,16"), SweepAxis.Parse("optimisations=none,virtio+apicv") };
        var sweep = SweepRunner.Run(File.ReadAllText(file), file, axes, new ExitSim.Running.RunOptions { Replications = 2, Threads = 2 });
        Assert.Equal(4, sweep.Points.Length);
        // Each optimisation set is the same as compare --with: fewer exits with virtio + APICv at the same load
        // (not below 60 %: the ticks and each idle period's two TSC_DEADLINE re-arms stay).
        foreach (var clients in new[] { "4", "16" })
        {
            double Exits(string set) => sweep.Points.Single(p => p.Values[0] == clients && p.Values[1] == set).Metric("exits_per_second").Mean;
            Assert.True(Exits("virtio+apicv") < 0.75 * Exits("none"), clients);
        }
        var answers = SloSearch.Find(sweep, Slo.Parse("p99_op_latency<=100ms"));
        Assert.Equal(["none", "virtio+apicv"], answers.Select(a => a.Others[0]).ToArray());
        Assert.All(answers, a => Assert.Equal("16", a.LargestMeeting));

        var r = CliRunner.Run("sweep", file, "--vary", "workload.clients=4,16", "--vary", "optimisations=none,virtio+apicv", "-r", "2",
            "--slo", "p99_op_latency<=100ms", "-f", "csv");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("point,workload.clients,optimisations,exits_per_second", r.Out);
        Assert.Contains(",virtio+apicv,", r.Out);
        Assert.Contains("throughput_ops_per_second", r.Out);
    }
}
