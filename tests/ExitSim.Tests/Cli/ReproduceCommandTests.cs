namespace ExitSim.Tests.Cli;

public class ReproduceCommandTests
{
    [Fact]
    public void Committed_results_are_exactly_what_reproduce_writes()
    {
        string dir = Path.Combine(Path.GetTempPath(), "exitsim-results-" + Guid.NewGuid().ToString("N"));
        var r = CliRunner.Run("reproduce", "--scenarios", Repo.Path("scenarios"), "--out", dir);
        Assert.True(r.ExitCode == 0, r.Error);
        var produced = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToArray();
        var committed = Directory.GetFiles(Repo.Path("results"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Repo.Path("results"), f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(committed, produced);
        foreach (var f in produced)
            Assert.True(File.ReadAllText(Path.Combine(dir, f)) == File.ReadAllText(Repo.Path("results", f)),
                $"results/{f} differs from what exitsim reproduce writes: run it and commit the result");

        // And a second run writes the same bytes again.
        string again = dir + "-again";
        Assert.Equal(0, CliRunner.Run("reproduce", "--scenarios", Repo.Path("scenarios"), "--out", again).ExitCode);
        foreach (var f in produced)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, f)), File.ReadAllBytes(Path.Combine(again, f)));
    }
}

public class ReproduceProgressTests
{
    [Fact]
    public void Reproduce_advances_its_progress_once_per_step_and_ends_at_one()
    {
        string root = Directory.CreateTempSubdirectory("exitsim-repro").FullName;
        // One scenario with optimisations (a run and a comparison), one without, both short.
        foreach (var name in new[] { "web.yaml", "bigdata.yaml" })
        {
            string yaml = File.ReadAllText(Repo.Path("scenarios", name));
            yaml = yaml[..yaml.IndexOf("\nrun:", StringComparison.Ordinal)] + "\nrun: { duration: 10ms, warmup: 1ms, replications: 2, seed: 1 }\n";
            File.WriteAllText(Path.Combine(root, name), yaml);
        }
        var steps = ExitSim.Cli.Reproduction.Steps(root);
        var progress = new ExitSim.Running.StepProgress(steps);
        Assert.Equal(0, progress.Fraction);
        var files = ExitSim.Cli.Reproduction.Files(root, default, progress);
        Assert.NotEmpty(files);
        Assert.Equal(steps.Count, progress.Started);
        Assert.True(progress.Fraction > 0.99, $"ended at {progress.Fraction}");
        Assert.Contains(steps, s => s.Label.StartsWith("compare "));
    }
}
