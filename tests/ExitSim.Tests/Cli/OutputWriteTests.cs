using System.Diagnostics;
using ExitSim.Cli.Outputs;
using ExitSim.Files;
using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

/// <summary>
/// What an output does to what is already at its path: a regular file is replaced whole (keeping its
/// permissions), a symbolic link stays a link and its target is replaced, a character device or FIFO
/// is written through and stays what it was, and a full disk leaves nothing behind.
/// </summary>
public class OutputWriteTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string Web = Repo.Path("scenarios", "seed-article", "web.yaml");
    private static string[] Sweep(string output) => ["sweep", Web, "--vary", "vm.vcpus=1,2", "--duration", "5ms", "-r", "2", "-f", "csv", "-o", output];

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_gets_the_output()
    {
        string target = _dir.File("target.csv"), link = _dir.File("link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, "target.csv");
        var r = CliRunner.Run(Sweep(link));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(PathKind.Symlink, PathProbe.Kind(link, follow: false).Kind);
        Assert.StartsWith("point,vm.vcpus,", File.ReadAllText(target));
        Assert.Equal(new[] { "link.csv", "target.csv" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_replaced_file_keeps_its_permissions()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions");
        string file = _dir.File("private.csv");
        File.WriteAllText(file, "old");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, CliRunner.Run(Sweep(file)).ExitCode);
        Assert.StartsWith("point,", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    public void A_fifo_is_written_through_and_stays_a_fifo()
    {
        Skip.If(OperatingSystem.IsWindows(), "no FIFOs on Windows");
        string fifo = _dir.File("pipe");
        Skip.IfNot(Tool("mkfifo", fifo), "mkfifo is not available");
        var reader = Task.Run(() => File.ReadAllText(fifo));   // a FIFO opened for writing waits for its reader
        var r = CliRunner.Run(Sweep(fifo));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(reader.Wait(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("point,vm.vcpus,", reader.Result);
        Assert.Equal(PathKind.Fifo, PathProbe.Kind(fifo, follow: false).Kind);
    }

    /// <summary>A private copy of /dev/null or /dev/full (mknod c 1 3 / c 1 7): if a regression replaced it, no system device is lost.</summary>
    private string Device(string name, int minor)
    {
        string path = _dir.File(name);
        Skip.IfNot(Tool("mknod", path, "c", "1", minor.ToString()), "mknod is not permitted here (needs root)");
        return path;
    }

    [SkippableFact]
    public void A_character_device_is_written_through_and_stays_a_device()
    {
        string dev = Device("null", 3);
        var sweep = CliRunner.Run(Sweep(dev));
        Assert.True(sweep.ExitCode == 0, sweep.Error);
        var trace = CliRunner.Run("run", Web, "--duration", "5ms", "-r", "1", "--export-trace", dev);
        Assert.True(trace.ExitCode == 0, trace.Error);
        Assert.Equal(PathKind.CharDevice, PathProbe.Kind(dev, follow: false).Kind);
        Assert.Single(Directory.GetFileSystemEntries(_dir.Path));   // no temporary file left next to it
    }

    [SkippableFact]
    public void A_full_device_is_exit_2_in_one_line_and_stays_a_device()
    {
        string full = Device("full", 7);
        foreach (var args in new[] { Sweep(full), ["run", Web, "--duration", "5ms", "-r", "1", "--export-trace", full] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.EndsWith($" {full}: No space left on device (nothing was written)", r.Error.TrimEnd());
            Assert.Single(r.Error.TrimEnd().Split('\n'));
            Assert.Equal(PathKind.CharDevice, PathProbe.Kind(full, follow: false).Kind);
        }
    }

    [SkippableFact]
    public void A_full_disk_leaves_no_half_made_directory_and_no_truncated_chart()
    {
        string mount = _dir.File("small");
        Directory.CreateDirectory(mount);
        Skip.IfNot(Tool("mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", mount), "cannot mount a small tmpfs here (needs root)");
        try
        {
            foreach (var (option, name) in new[] { ("--out", "reports"), ("--plot", "charts") })
            {
                var r = CliRunner.Run("run", Web, "--duration", "10ms", "-r", "1", option, Path.Combine(mount, name));
                Assert.Equal(2, r.ExitCode);
                Assert.Matches($@"^exitsim: {option} .*: cannot write .*: No space left on device \(nothing was written\)$", r.Error.TrimEnd());
                Assert.Empty(Directory.GetFileSystemEntries(mount));
            }
            // Into a directory that exists: it stays, empty (no latency-cdf.png cut short).
            string charts = Directory.CreateDirectory(Path.Combine(mount, "charts")).FullName;
            Assert.Equal(2, CliRunner.Run("run", Web, "--duration", "10ms", "-r", "1", "--plot", charts).ExitCode);
            Assert.Empty(Directory.GetFileSystemEntries(charts));
        }
        finally
        {
            Tool("umount", mount);
        }
    }

    [SkippableFact]
    public void Two_outputs_of_one_run_are_written_together_or_not_at_all()
    {
        string full = Device("full", 7), reports = _dir.File("reports");
        // The reports are staged first; the trace then fails on the full device: the reports must not appear.
        var r = CliRunner.Run("run", Web, "--duration", "5ms", "-r", "1", "--out", reports, "--export-trace", full);
        Assert.Equal(2, r.ExitCode);
        Assert.False(Directory.Exists(reports));
        Assert.Single(Directory.GetFileSystemEntries(_dir.Path));
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_directory_that_may_not_be_written_is_refused_before_the_run()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions");
        Skip.If(Environment.UserName == "root", "root may write anywhere: the refusal cannot be seen");
        string locked = _dir.File("locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var file = CliRunner.Run(Sweep(Path.Combine(locked, "x.csv")));
            Assert.Equal(2, file.ExitCode);
            Assert.Contains("(permission denied)", file.Error);
            var dir = CliRunner.Run("run", Web, "--duration", "5ms", "-r", "1", "--plot", locked);
            Assert.Equal(2, dir.ExitCode);
            Assert.Equal($"exitsim: --plot {locked}: cannot write in it (permission denied)", dir.Error.TrimEnd());
        }
        finally { File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
    }

    [SkippableFact]
    public void Standard_output_by_name_is_written_through_the_pipe_or_appended_to_the_redirected_file()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/dev/stdout and /proc/self/fd: Linux");
        Skip.IfNot(File.Exists(Path.Combine(AppContext.BaseDirectory, "exitsim.dll")), "the exitsim binary is not next to the tests");
        // Through a pipe: /dev/stdout → /proc/self/fd/1 → pipe:[N], which is no file to replace.
        var r = ExitsimProcess.Run(_dir.Path, 512L << 20, TimeSpan.FromMinutes(3), Sweep("/dev/stdout"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith("point,vm.vcpus,", r.Out);
        Assert.DoesNotContain("wrote ", r.Out);
        // A shell's >> to a file: appended to, the file not replaced.
        Skip.IfNot(File.Exists("/bin/sh"), "no /bin/sh");
        string log = _dir.File("log.csv");
        File.WriteAllText(log, "earlier line\n");
        string command = $"exec \"$0\" \"$1\" {string.Join(" ", Sweep("/dev/stdout").Select(a => $"'{a}'"))} >> '{log}'";
        Assert.True(Tool("/bin/sh", "-c", command, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "exitsim.dll")));
        string text = File.ReadAllText(log);
        Assert.StartsWith("earlier line\npoint,vm.vcpus,", text);
    }

    private static bool Tool(string name, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
