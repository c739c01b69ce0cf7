using System.Text.Json;

namespace ExitSim.Tests.Cli;

/// <summary>The options every command shares mean the same everywhere, and a mistyped name gets a suggestion.</summary>
public class SharedOptionsTests
{
    private static string Web => Repo.Path("scenarios", "seed-article", "web.yaml");

    private static void OneLineUsageError(CliRunner.Result r, string message)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData(new[] { "rn", "scenarios/seed-article/web.yaml" }, "exitsim: unknown command 'rn' (did you mean run?) (see: exitsim --help)")]
    [InlineData(new[] { "run", "scenarios/seed-article/web.yaml", "--replication", "2" }, "exitsim: unknown option '--replication' (did you mean --replications?) (see: exitsim run --help)")]
    [InlineData(new[] { "list", "optimizations" }, "exitsim: unknown command 'optimizations' (did you mean optimisations?) (see: exitsim list --help)")]
    [InlineData(new[] { "sweep", "scenarios/seed-article/web.yaml", "--vary", "vm.vcpus=2", "--slos", "x" }, "(did you mean --slo?)")]
    public void A_mistyped_command_or_option_gets_a_suggestion(string[] args, string message) => OneLineUsageError(CliRunner.Run(args), message);

    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    [InlineData("explain")]
    [InlineData("sweep")]
    public void Run_overrides_are_the_same_options_with_the_same_messages_everywhere(string command)
    {
        string[] extra = command == "sweep" ? ["--vary", "vm.vcpus=2"] : [];
        OneLineUsageError(CliRunner.Run([command, Web, .. extra, "--seed", "abc"]), "exitsim: --seed: expected a whole number from 0 to");
        OneLineUsageError(CliRunner.Run([command, Web, .. extra, "--duration", "300cyc"]), "exitsim: --duration: give simulated time in ns, us, ms or s, not cycles");
        OneLineUsageError(CliRunner.Run([command, Web, .. extra, "-r", "x"]), "exitsim: --replications: expected a whole number of at least");
    }

    [Theory]
    [InlineData("compare", "html", "exitsim: --format: compare does not write html (it writes text, markdown, json or csv)")]
    [InlineData("explain", "csv", "exitsim: --format: explain does not write csv (it writes text, markdown or json)")]
    [InlineData("sweep", "text", "exitsim: --format: sweep does not write text (it writes markdown, json or csv)")]
    [InlineData("compare", "xml", "exitsim: --format: unknown format 'xml' (compare writes text, markdown, json or csv)")]
    public void A_format_a_command_does_not_write_is_a_usage_error(string command, string format, string message)
    {
        string[] extra = command == "sweep" ? ["--vary", "vm.vcpus=2"] : [];
        OneLineUsageError(CliRunner.Run([command, Web, .. extra, "--format", format]), message);
    }

    [Fact]
    public void Text_and_md_are_accepted_wherever_text_and_markdown_are_written()
    {
        string[] compare = ["compare", Web, "--set", "vm.qemu_threads=per-vcpu", "-r", "2", "--duration", "10ms"];
        var text = CliRunner.Run([.. compare, "--format", "text"]);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.StartsWith("seed-web: vm.qemu_threads=per-vcpu (2 paired replications", text.Out);
        var md = CliRunner.Run([.. compare, "--format", "md"]);
        Assert.True(md.ExitCode == 0, md.Error);
        Assert.StartsWith("## seed-web: ", md.Out);
        Assert.Equal(md.Out, CliRunner.Run([.. compare, "-f", "markdown"]).Out);
    }

    [Fact]
    public void Out_is_the_file_of_a_one_file_command_and_its_extension_picks_the_format()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-out").FullName, json = Path.Combine(dir, "cmp.json");
        var r = CliRunner.Run("compare", Web, "--set", "vm.qemu_threads=per-vcpu", "-r", "2", "--duration", "10ms", "-o", json);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal($"wrote {json}\n", r.Out.Replace("\r", ""));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("seed-web", doc.RootElement.GetProperty("scenario").GetString());
    }

    private const string Rates = """
        name: rates
        host: { vendor: intel, ghz: 2.0, cores: 8 }
        costs: { save: const(300cyc), handle: exp(1us), reenter: const(300cyc) }
        vm: { vcpus: 2 }
        exits:
          IO_INSTRUCTION: { rate: 20k/s, path: userspace, emulate: exp(5us) }
        run: { duration: 500ms, warmup: 5ms, replications: 2, seed: 1 }
        """;

    [Fact]
    public void Sweep_takes_seed_and_duration_like_run_and_refuses_them_twice()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("exitsim-sweep-opts").FullName, "rates.yaml");
        File.WriteAllText(file, Rates);
        JsonElement Point(params string[] args)
        {
            var r = CliRunner.Run(["sweep", file, "-f", "json", .. args]);
            Assert.True(r.ExitCode == 0, r.Error);
            return JsonDocument.Parse(r.Out).RootElement;
        }
        var overridden = Point("--vary", "vm.vcpus=2", "--duration", "20ms", "--seed", "3");
        Assert.Equal(3UL, overridden.GetProperty("seed").GetUInt64());
        // --duration and --seed are the scenario's run: keys set for every point, exactly as --vary would set them.
        var varied = Point("--vary", "vm.vcpus=2", "--vary", "run.duration=20ms", "--vary", "run.seed=3");
        Assert.Equal(varied.GetProperty("points")[0].GetProperty("exits_per_second").GetDouble(),
                     overridden.GetProperty("points")[0].GetProperty("exits_per_second").GetDouble());
        Assert.NotEqual(Point("--vary", "vm.vcpus=2", "--duration", "20ms").GetProperty("points")[0].GetProperty("exits_per_second").GetDouble(),
                        overridden.GetProperty("points")[0].GetProperty("exits_per_second").GetDouble());
        OneLineUsageError(CliRunner.Run("sweep", file, "--vary", "run.duration=10ms,20ms", "--duration", "20ms"),
            "exitsim: --duration and --vary run.duration both set run.duration: give one of them");
    }
}
