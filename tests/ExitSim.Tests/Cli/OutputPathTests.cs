using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

/// <summary>
/// Every output a command was told to write that cannot take it — an existing file where a directory
/// goes, a device, an empty path, a path under a file, a name or path too long, a directory where a
/// file goes — is one line naming the option, exit code 2, nothing printed and nothing written, and
/// is found before any simulation.
/// </summary>
public class OutputPathTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string Web = Repo.Path("scenarios", "seed-article", "web.yaml");
    private static readonly string Fixture = Repo.Path("tests", "fixtures", "perf-kvm-stat-report__0xba1a-blog-2020-sysbench-x86.txt");

    /// <summary>The command, with <c>{file}</c> an existing regular file, <c>{dir}</c> an existing directory; and the message's start.</summary>
    public static TheoryData<string[], string> BadOutputs() => new()
    {
        { ["run", "{web}", "--out", "{file}"], "exitsim: --out {file}: is a file, not a directory" },
        { ["run", "{web}", "--out", "/dev/null"], "exitsim: --out /dev/null: is a character device, not a directory" },
        { ["run", "{web}", "--out", ""], "exitsim: --out '': an empty path (give a directory)" },
        { ["run", "{web}", "--out", "{file}/sub"], "exitsim: --out {file}/sub: '{file}' is a file, not a directory" },
        { ["run", "{web}", "--out", "{dir}/" + new string('n', 300)], "exitsim: --out {dir}/nnnn" },
        { ["run", "{web}", "--out", "{dir}/" + string.Join("/", Enumerable.Repeat("deep", 1100))], "exitsim: --out " },
        { ["run", "{web}", "--plot", "{file}"], "exitsim: --plot {file}: is a file, not a directory" },
        { ["run", "{web}", "--export-trace", "{dir}"], "exitsim: --export-trace {dir}: is a directory (give a file name)" },
        { ["sweep", "{web}", "--vary", "vm.vcpus=1,2", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["sweep", "{web}", "--vary", "vm.vcpus=1,2", "-o", "{file}/x.md"], "exitsim: -o {file}/x.md: '{file}' is a file, not a directory" },
        { ["sweep", "{web}", "--vary", "vm.vcpus=1,2", "--plot", "{file}"], "exitsim: --plot {file}: is a file, not a directory" },
        { ["calibrate", "{fixture}", "--interval", "22.66s", "--vcpus", "4", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["merge", "{file}", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["compare", "{web}", "--with", "virtio", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["compare", "{web}", "--with", "virtio", "--plot", "{file}"], "exitsim: --plot {file}: is a file, not a directory" },
        { ["explain", "{web}", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["trace", "{web}", "--plot", "{file}"], "exitsim: --plot {file}: is a file, not a directory" },
        { ["probe", "-o", "{dir}"], "exitsim: -o {dir}: is a directory (give a file name)" },
        { ["reproduce", "--scenarios", "{scenarios}", "-o", "{file}"], "exitsim: --out {file}: is a file, not a directory" },
        { ["init", "{file}"], "exitsim: init {file}: is a file, not a directory" },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public void A_path_that_cannot_take_the_output_is_one_line_exit_2_and_nothing_is_written(string[] args, string message)
    {
        string file = _dir.File("existing.txt"), dir = _dir.File("existing-dir");
        File.WriteAllText(file, "keep me");
        Directory.CreateDirectory(dir);
        string Fill(string s) => s.Replace("{file}", file).Replace("{dir}", dir).Replace("{web}", Web)
            .Replace("{fixture}", Fixture).Replace("{scenarios}", Repo.Path("scenarios"));
        var before = Snapshot();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = CliRunner.Run(args.Select(Fill).ToArray());

        Assert.True(r.ExitCode == 2, $"exit code {r.ExitCode}: {r.Error}");
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.StartsWith(Fill(message), r.Error);
        Assert.DoesNotContain("internal error", r.Error);
        Assert.Equal("", r.Out);
        Assert.Equal(before, Snapshot());
        Assert.Equal("keep me", File.ReadAllText(file));
        // Found before simulating: reproduce would take minutes, the others seconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: was the path checked only after the work?");
    }

    private string[] Snapshot() => Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    [SkippableFact]
    public void A_merge_of_an_endless_device_is_refused()
    {
        Skip.IfNot(File.Exists("/dev/zero"), "no /dev/zero here");
        var r = CliRunner.Run("merge", "/dev/zero", "-o", _dir.File("m.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("exitsim: merge: /dev/zero is a character device, not a file (not a partial sweep result written by exitsim sweep)", r.Error.TrimEnd());
        Assert.False(File.Exists(_dir.File("m.json")));
    }

    [Fact]
    public void A_merge_of_a_huge_file_stops_at_the_size_limit()
    {
        string huge = _dir.File("huge.json");
        using (var f = File.Create(huge)) f.SetLength((64L << 20) + 1);   // sparse: takes no disk space
        var r = CliRunner.Run("merge", huge, "-o", _dir.File("m.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"exitsim: merge: {huge} holds more than 64 MiB; stopped reading (not a partial sweep result written by exitsim sweep)", r.Error.TrimEnd());
        Assert.False(File.Exists(_dir.File("m.json")));
    }

    [Fact]
    public void Merge_and_resume_refuse_a_directory_or_a_missing_file_in_one_line()
    {
        var dir = CliRunner.Run("merge", _dir.Path, "-o", _dir.File("m.json"));
        Assert.Equal(2, dir.ExitCode);
        Assert.Equal($"exitsim: merge: {_dir.Path} is a directory (not a partial sweep result written by exitsim sweep)", dir.Error.TrimEnd());
        var missing = CliRunner.Run("sweep", Web, "--vary", "vm.vcpus=1,2", "--resume", _dir.File("nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"exitsim: --resume: {_dir.File("nope.json")}: no such file", missing.Error.TrimEnd());
    }
}
