using System.Diagnostics;
using System.Text.RegularExpressions;
using ExitSim.Tests.Cli;

namespace ExitSim.Tests.Scenarios;

/// <summary>
/// Inputs that must be files, given a FIFO nobody writes to: opening one for reading waits for a writer, so
/// before they were refused exitsim hung. Each runs the real binary with a timeout and must end with exit 2 and
/// one line saying what the path is, having written nothing. A descriptor the shell opened (<c>/dev/stdin</c>)
/// is still read.
/// </summary>
public class NonFileInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const long HeapLimit = 1L << 30;

    /// <summary>The command line, given a folder holding a FIFO named <c>pipe</c> and a valid scenario <c>s.yaml</c>.</summary>
    public sealed record Case(string Name, Func<string, string[]> Setup, string Refusal);

    private static Func<string, string[]> Args(params string[] args) => _ => args;

    private static Func<string, string[]> Scenario(string line, string replacement, params string[] args) => dir =>
    {
        File.WriteAllText(Path.Combine(dir, "t.yaml"), ScenarioText.With(line, replacement));
        return args;
    };

    private const string NotAScenario = "pipe:1:1: is a FIFO, not a scenario file (";

    public static readonly Case[] Cases =
    [
        new("run", Args("run", "pipe"), NotAScenario),
        new("validate", Args("validate", "pipe"), NotAScenario),
        new("sweep", Args("sweep", "pipe", "--vary", "vm.vcpus=1,2"), NotAScenario),
        new("compare", Args("compare", "pipe", "--with", "virtio"), NotAScenario),
        new("explain", Args("explain", "pipe"), NotAScenario),
        new("trace", Args("trace", "pipe"), NotAScenario),
        new("empirical(file=pipe)", Scenario("handle: exp(500ns)", "handle: empirical(file=pipe)", "validate", "t.yaml"),
            "empirical file 'pipe' is a FIFO, not a file ("),
        new("host.profile: pipe", Scenario("cores: 4", "cores: 4\nprofile: pipe", "validate", "t.yaml"),
            "host profile 'pipe' is a FIFO, not a file ("),
        new("merge", Args("merge", "pipe", "-o", "m.json"), "exitsim: merge: pipe is a FIFO, not a file ("),
        new("sweep --resume", Args("sweep", "s.yaml", "--vary", "vm.vcpus=1,2", "--resume", "pipe"), "exitsim: --resume: pipe is a FIFO, not a file ("),
        new("calibrate", Args("calibrate", "pipe", "-o", "c.yaml"), "pipe:1:1: is a FIFO, not a measurement file ("),
    ];

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void A_fifo_is_refused_in_one_line_instead_of_waiting_for_a_writer(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        string dir = Directory.CreateTempSubdirectory("exitsim-fifo-").FullName;
        try
        {
            Skip.IfNot(MakeFifo(Path.Combine(dir, "pipe")), "mkfifo is not available");
            File.WriteAllText(Path.Combine(dir, "s.yaml"), ScenarioText.Minimal);
            string[] args = c.Setup(dir);
            var before = Listing(dir);
            var r = ExitsimProcess.Run(dir, HeapLimit, Timeout, args);
            Assert.False(r.TimedOut, $"{name}: still waiting after {Timeout.TotalSeconds:0} s");
            string error = r.Error.TrimEnd('\n');
            Assert.True(r.ExitCode == 2, $"{name}: exit {r.ExitCode} (expected 2): {error}");
            Assert.DoesNotContain('\n', error);
            Assert.Matches(new Regex(@"^.+ \(.+\)$"), error);   // what is wrong (hint)
            Assert.Contains(c.Refusal, error);
            Assert.Equal(before, Listing(dir));   // nothing written
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [SkippableFact]
    public void A_scenario_piped_in_as_dev_stdin_is_read()
    {
        Skip.IfNot(File.Exists("/dev/stdin"), "no /dev/stdin here");
        string dir = Directory.CreateTempSubdirectory("exitsim-stdin-").FullName;
        try
        {
            var r = ExitsimProcess.RunWithInput(dir, HeapLimit, Timeout, ScenarioText.Minimal, "validate", "/dev/stdin");
            Assert.False(r.TimedOut);
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.StartsWith("/dev/stdin: ok (tiny", r.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static bool MakeFifo(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    private static string[] Listing(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}
