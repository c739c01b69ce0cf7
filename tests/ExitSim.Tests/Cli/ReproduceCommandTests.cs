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
