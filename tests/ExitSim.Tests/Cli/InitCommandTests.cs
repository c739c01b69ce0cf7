using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

/// <summary><c>exitsim init</c>: the shipped scenarios travel inside the tool and come out as they are in the repository.</summary>
public class InitCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Init_writes_every_shipped_scenario_byte_for_byte()
    {
        string target = _dir.File("scenarios");
        var r = CliRunner.Run("init", target);
        Assert.True(r.ExitCode == 0, r.Error);
        var shipped = Repo.ShippedScenarios().Select(p => Path.GetRelativePath(Repo.Path("scenarios"), p)).Order(StringComparer.Ordinal).ToArray();
        var written = Directory.GetFiles(target, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(target, p)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(shipped, written);
        foreach (var f in shipped) Assert.Equal(File.ReadAllText(Repo.Path("scenarios", f)), File.ReadAllText(Path.Combine(target, f)));
        Assert.Equal($"wrote {shipped.Length} scenarios to {target} (try: exitsim run {Path.Combine(target, "database.yaml")})", r.Out.TrimEnd());
        Assert.Equal(0, CliRunner.Run(["validate", .. written.Select(f => Path.Combine(target, f))]).ExitCode);
    }

    [Fact]
    public void Init_again_is_fine_but_an_edited_file_is_kept_unless_forced()
    {
        string target = _dir.File("mine");
        Assert.Equal(0, CliRunner.Run("init", target).ExitCode);
        Assert.Equal(0, CliRunner.Run("init", target).ExitCode);
        string web = Path.Combine(target, "web.yaml");
        File.AppendAllText(web, "# my change\n");
        var r = CliRunner.Run("init", target);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"exitsim: init {target}: web.yaml already there with other content; nothing was written (--force replaces them)", r.Error.TrimEnd());
        Assert.EndsWith("# my change\n", File.ReadAllText(web));
        Assert.Equal(0, CliRunner.Run("init", target, "--force").ExitCode);
        Assert.Equal(File.ReadAllText(Repo.Path("scenarios", "web.yaml")), File.ReadAllText(web));
    }
}
