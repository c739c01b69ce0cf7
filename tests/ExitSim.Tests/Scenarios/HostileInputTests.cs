using System.Text;
using System.Text.RegularExpressions;
using ExitSim.Tests.Cli;
using ExitSim.Tests.Workload;

namespace ExitSim.Tests.Scenarios;

/// <summary>
/// What a fuzzer and a tired user feed exitsim. Each case runs the real binary in a child process
/// (a stack overflow cannot be caught in-process) with a 1 GB heap and 10 s: it must end with exit 0,
/// or with exit 2 and one located line <c>file:line:col: what is wrong (hint)</c> that says why, and
/// write nothing. Never exit 1, a crash, a hang, or a half-written output.
/// </summary>
public class HostileInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const long HeapLimit = 1L << 30;

    /// <summary>An input: files written into a fresh folder, the command line, and what must happen.</summary>
    /// <param name="Refusal">A piece of the one-line message, or null when the input is valid and must run.</param>
    /// <param name="At">"line:col" the message must point at, when it matters.</param>
    public sealed record Case(string Name, Func<string, string[]> Setup, string? Refusal, string? At = null);

    private static string Minimal(string line, string replacement) => ScenarioText.With(line, replacement);

    /// <summary>Writes s.yaml and validates it.</summary>
    private static Func<string, string[]> Validate(string yaml) => dir => { File.WriteAllText(Path.Combine(dir, "s.yaml"), yaml); return ["validate", "s.yaml"]; };

    /// <summary>Writes s.yaml and runs it briefly.</summary>
    private static Func<string, string[]> RunBriefly(string yaml) => dir =>
    {
        File.WriteAllText(Path.Combine(dir, "s.yaml"), yaml);
        return ["run", "s.yaml", "--duration", "1ms", "-r", "1", "--out", "out"];
    };

    private static Func<string, string[]> Run(string yaml, params string[] options) => dir =>
    {
        File.WriteAllText(Path.Combine(dir, "s.yaml"), yaml);
        return ["run", "s.yaml", "--out", "out", .. options];
    };

    private static string Nested(string open, string close, int depth) =>
        new StringBuilder().Insert(0, open, depth).Append(new StringBuilder().Insert(0, close, depth)).ToString();

    public static readonly Case[] Cases =
    [
        // The YAML itself.
        new("100,000-level flow nesting", Validate(ScenarioText.Minimal + "\ndescription: " + Nested("[", "]", 100_000)), "nested more than 64 levels", "24:"),
        new("100,000-level flow mappings", Validate(ScenarioText.Minimal + "\ndescription: " + Nested("{a: ", "}", 100_000)), "nested more than 64 levels"),
        new("1,000-level block nesting", Validate(ScenarioText.Minimal + "\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => new string(' ', i) + "k:\n"))), "nested more than 64 levels"),
        new("complex key", Validate(ScenarioText.Minimal + "\n? [a]\n: 1\n"), "a key must be a plain name", "24:3"),
        new("complex key inside exits", Validate(Minimal("MSR_WRITE:", "? [MSR_WRITE]\n:")), "a key must be a plain name", "17:5"),
        new("undefined alias", Validate(Minimal("vcpus: 2", "vcpus: *nope")), "undefined alias '*nope'", "11:10"),
        new("billion laughs", Validate(ScenarioText.Minimal + "\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"), "unknown key 'a' at the top level"),
        new("empty file", Validate(""), "the scenario is empty"),
        new("random bytes", dir => { File.WriteAllBytes(Path.Combine(dir, "s.yaml"), RandomBytes(10_000)); return ["validate", "s.yaml"]; }, ""),
        new("2 MiB file", Validate(ScenarioText.Minimal + "\n#" + new string('x', 2 << 20)), "larger than 1 MiB"),
        new("a 10,000-character key", Validate(ScenarioText.Minimal + "\n" + new string('k', 10_000) + ": 1\n"), "YAML syntax error"),
        new("a 1,000-character unknown key", Validate(ScenarioText.Minimal + "\n" + new string('k', 1_000) + ": 1\n"), "unknown key 'kkkk"),

        // Numbers that overflow, or that no run can mean.
        new("handle: const(1e300s)", Validate(Minimal("handle: exp(500ns)", "handle: const(1e300s)")), "'1e300s' is too long (a time is at most 24h", "8:17"),
        new("rate: 1e308G/s", Validate(Minimal("rate: 30k/s", "rate: 1e308G/s")), "'1e308G/s' is too high", "18:11"),
        new("rate: 1e15/s on the wall clock", Validate(Minimal("rate: 30k/s", "rate: 1e15/s\nclock: wall")), "'1e15/s' is too high"),
        new("interval: exp(rate=1e-308/s)", Validate(Minimal("rate: 30k/s", "interval: exp(rate=1e-308/s)")), "is less than one a day"),
        new("interval: const(1e-300s)", Validate(Minimal("rate: 30k/s", "interval: const(1e-300s)")), "'interval' must have a mean of at least 1ns"),
        new("ghz: 1e-300", Validate(Minimal("ghz: 2.0", "ghz: 1e-300")), "'ghz' must be from 0.1 to 10", "4:8"),
        new("lognormal cv=1e308", Validate(Minimal("handle: exp(500ns)", "handle: lognormal(mean=2us, cv=1e308)")), "cv 1e308 is too large (at most 100"),
        new("gamma cv=1e-200", Validate(Minimal("handle: exp(500ns)", "handle: gamma(mean=2us, cv=1e-200)")), "gamma cv 1e-200 is out of range"),
        new("gamma cv=1e200", Validate(Minimal("handle: exp(500ns)", "handle: gamma(mean=2us, cv=1e200)")), "gamma cv 1e200 is out of range"),
        new("weibull shape=1e-300", Validate(Minimal("handle: exp(500ns)", "handle: weibull(shape=1e-300, scale=2us)")), "weibull shape 1e-300 is out of range"),
        new("mix nested 5,000 deep", Validate(Minimal("handle: exp(500ns)", "handle: \"" + Nested("mix(1: ", ")", 5000).Replace("1: )", "1: 1us)") + "\"")), "nested more than 8 deep"),
        new("mix of 101 components", Validate(Minimal("handle: exp(500ns)", "handle: \"mix(" + string.Join(", ", Enumerable.Repeat("0.01: 1us", 101)) + ")\"")), "at most 100 components"),
        new("vm.timer_hz: 1e308", Validate(Minimal("vcpus: 2", "vcpus: 2\ntimer_hz: 1e308")), "'timer_hz' must be from 1 to 100000"),
        new("timeslice: 1e-300s", Validate(Minimal("cores: 4", "cores: 4\ntimeslice: 1e-300s")), "'timeslice' must be from 10us to 1s"),
        new("warmup: 1e300s", Validate(Minimal("warmup: 5ms", "warmup: 1e300s")), "'1e300s' is too long"),
        new("kpis.mean_exit_latency: 1e300s", Validate(ScenarioText.Minimal + "\nkpis: { mean_exit_latency: 1e300s }"), "'1e300s' is too long"),
        new("NaN", Validate(Minimal("ghz: 2.0", "ghz: .nan")), "'ghz': expected a number"),
        new("a wall-clock rate of 1G/s for 10s", Validate(Minimal("rate: 30k/s", "rate: 1G/s\nclock: wall").Replace("duration: 50ms", "duration: 10s")), "this run would simulate about"),
        new("--duration 1e300s", Run(ScenarioText.Minimal, "--duration", "1e300s"), "'1e300s' is too long"),
        new("--duration 20h", Run(ScenarioText.Minimal, "--duration", "20h"), "this run would simulate about"),
        new("--replications 100000", Run(ScenarioText.Minimal, "-r", "100000", "--duration", "1s"), "this run would simulate about"),

        // The model's size.
        new("vm.count: 10000", Validate(Minimal("vcpus: 2", "vcpus: 2\ncount: 10000")), "'count' must be at most 4096"),
        new("10,000 VMs × 4,096 vCPUs", Validate(Minimal("vcpus: 2", "vcpus: 4096\ncount: 10000")), "'count' must be at most 4096"),
        new("2 VMs × 4,096 vCPUs", Validate(Minimal("vcpus: 2", "vcpus: 4096\ncount: 2")), "8192 vCPUs (at most 4096 over all VMs"),
        new("1,000,000 clients × 2 VMs", Validate(WorkloadYaml.Make(clients: 1_000_000).Replace("vcpus: 4,", "vcpus: 4, count: 2,")), "2000000 operations in flight"),
        new("65,536 channels × 20 VMs", Validate(WorkloadYaml.Make(channels: 65_536).Replace("vcpus: 4,", "vcpus: 4, count: 20,")), "channels over all VMs"),
        new("1,024 queues × 70 VMs", Validate(WorkloadYaml.Make(diskExtra: ", queues: 1024").Replace("vcpus: 4,", "vcpus: 4, count: 70,")), "queues over all VMs"),
        new("closed workload with no think and no compute", Validate(WorkloadYaml.Make(think: "0ns", compute: "0ns")), "simulated time would stand still"),
        new("touch_rate of 1000000TiB/s", Validate(WorkloadYaml.Make(touch: "1000000TiB/s")), "first-touch faults per vCPU"),
        new("zero_rate of 1B/s", Validate(WorkloadYaml.Make().Replace("tlb_overhead: 10%", "tlb_overhead: 10%, zero_rate: 1B/s")), "'zero_rate' is below 1MiB/s"),

        // Names and files.
        new("a 10,000-character name", Validate(Minimal("name: tiny", "name: " + new string('n', 10_000))), "'name' is 10000 characters long (at most 100", "1:7"),
        new("a 10,000-character name, run --out", Run(Minimal("name: tiny", "name: " + new string('n', 10_000))), "'name' is 10000 characters long"),
        new("a name with a line break", Validate(Minimal("name: tiny", "name: \"a\\nb\"")), "'name' holds a line break"),
        new("empirical(file=/dev/zero)", Validate(Minimal("handle: exp(500ns)", "handle: empirical(file=/dev/zero)")), "empirical file '/dev/zero' is a character device, not a file"),
        new("empirical file of 17 MiB", dir =>
        {
            using (var f = File.Create(Path.Combine(dir, "costs.csv"))) f.SetLength(17 << 20);   // sparse
            return Validate(Minimal("handle: exp(500ns)", "handle: empirical(file=costs.csv)"))(dir);
        }, "empirical file 'costs.csv' is larger than 16 MiB"),
        new("empirical file of 1,000,001 values", dir =>
        {
            File.WriteAllText(Path.Combine(dir, "costs.csv"), string.Concat(Enumerable.Repeat("1us\n", 1_000_001)));
            return Validate(Minimal("handle: exp(500ns)", "handle: empirical(file=costs.csv)"))(dir);
        }, "has more than 1,000,000 values"),
        new("host.profile: /dev/zero", Validate(Minimal("cores: 4", "cores: 4\nprofile: /dev/zero")), "host profile '/dev/zero' is a character device, not a file"),
        new("host profile of 2 MiB", dir =>
        {
            using (var f = File.Create(Path.Combine(dir, "host.yaml"))) f.SetLength(2 << 20);   // sparse
            return Validate(Minimal("cores: 4", "cores: 4\nprofile: host.yaml"))(dir);
        }, "host profile 'host.yaml' is larger than 1 MiB"),
        new("validate /dev/zero", _ => ["validate", "/dev/zero"], "is a character device, not a scenario file"),
        new("sweep a 2 MiB file", dir =>
        {
            File.WriteAllText(Path.Combine(dir, "s.yaml"), ScenarioText.Minimal + "\n#" + new string('x', 2 << 20));
            return ["sweep", "s.yaml", "--vary", "vm.vcpus=1,2", "-o", "out.csv"];
        }, "larger than 1 MiB", "1:1"),
        new("run a folder", dir => { File.WriteAllText(Path.Combine(dir, "s.yaml"), ScenarioText.Minimal); return ["run", "."]; }, "is a folder, not a scenario file"),
        new("validate an empty folder", dir => { Directory.CreateDirectory(Path.Combine(dir, "empty")); return ["validate", "empty"]; }, "the folder has no *.yaml scenario"),
        new("validate a folder with one bad scenario", dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "lessons", "more"));
            File.WriteAllText(Path.Combine(dir, "lessons", "a.yaml"), ScenarioText.Minimal);
            File.WriteAllText(Path.Combine(dir, "lessons", "more", "b.yaml"), Minimal("vcpus: 2", "vcpus: two"));
            return ["validate", "lessons"];
        }, "'vcpus' must be a whole number"),

        // Valid inputs at the limits: they must validate and run.
        new("validate the shipped classroom folder", _ => ["validate", Repo.Path("scenarios", "classroom")], null),
        new("a 100-character name, run --out", RunBriefly(Minimal("name: tiny", "name: " + new string('n', 100))), null),
        new("lognormal cv=100", RunBriefly(Minimal("handle: exp(500ns)", "handle: lognormal(mean=2us, cv=100)")), null),
        new("gamma cv=0.001 and cv=100", RunBriefly(Minimal("handle: exp(500ns)", "handle: gamma(mean=2us, cv=0.001)").Replace("emulate: exp(2us)", "emulate: gamma(mean=2us, cv=100)")), null),
        new("weibull shape=0.1 and 100", RunBriefly(Minimal("handle: exp(500ns)", "handle: weibull(shape=0.1, scale=20ns)").Replace("emulate: exp(2us)", "emulate: weibull(shape=100, scale=2us)")), null),
        new("mix nested 8 deep", RunBriefly(Minimal("handle: exp(500ns)", "handle: \"" + Nested("mix(1: ", ")", 8).Replace("1: )", "1: 1us)") + "\"")), null),
        new("timer_hz: 100000", RunBriefly(Minimal("vcpus: 2", "vcpus: 2\ntimer_hz: 100000")), null),
        new("1,024 VMs × 4 vCPUs", RunBriefly(Minimal("vcpus: 2", "vcpus: 4\ncount: 1024")), null),
        new("a rate of 1G/s", RunBriefly(Minimal("rate: 30k/s", "rate: 1G/s")), null),
        new("costs of 24h", RunBriefly(Minimal("handle: exp(500ns)", "handle: const(24h)")), null),
    ];

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Each_input_is_refused_in_one_located_line_or_runs(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        Skip.If(c.Name.Contains("/dev/zero") && !File.Exists("/dev/zero"), "needs /dev/zero (Linux)");
        string dir = Directory.CreateTempSubdirectory("exitsim-hostile-").FullName;
        try
        {
            string[] args = c.Setup(dir);
            var before = Listing(dir);
            var r = ExitsimProcess.Run(dir, HeapLimit, Timeout, args);
            Assert.False(r.TimedOut, $"{name}: still running after {Timeout.TotalSeconds:0} s");
            string error = r.Error.TrimEnd('\n');
            if (c.Refusal is null)
            {
                Assert.True(r.ExitCode == 0, $"{name}: exit {r.ExitCode}: {Head(error)}");
                return;
            }
            Assert.True(r.ExitCode == 2, $"{name}: exit {r.ExitCode} (expected 2): {Head(error)}{Head(r.Out)}");
            Assert.Equal(before, Listing(dir));   // nothing written
            string refusal = error.Split('\n').Last();   // a folder's good files are reported on stdout, bad ones each on a line
            Assert.DoesNotContain('\n', error.Split('\n').Length == 1 ? error : refusal);
            var located = Regex.Match(refusal, @"^(?:(?<file>.+?):(?<line>\d+):(?<col>\d+)|exitsim: --[a-z]+): (?<what>.+) \((?<hint>.+)\)$");
            Assert.True(located.Success, $"{name}: not 'file:line:col: what is wrong (hint)': {Head(refusal)}");
            Assert.True(refusal.Length < 600, $"{name}: a {refusal.Length}-character message");
            Assert.Contains(c.Refusal, refusal);
            if (c.At is not null) Assert.StartsWith(c.At, $"{located.Groups["line"].Value}:{located.Groups["col"].Value}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static string[] Listing(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    private static string Head(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        new Random(15).NextBytes(bytes);
        return bytes;
    }
}
