using System.Diagnostics;
using System.Runtime.InteropServices;
using ExitSim.Tests.Plots;

namespace ExitSim.Tests.Cli;

/// <summary>
/// SIGTERM — what Slurm and Kubernetes send before they kill a job — stops exitsim as Ctrl-C does:
/// a sweep saves its finished points for --resume, anything else writes nothing; exit code 143.
/// Run in a child process (a signal to the test host would stop the tests).
/// </summary>
public class SignalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SIGTERM = 15;

    /// <summary>
    /// Starts exitsim, waits until it has set up its signal handlers (SIGHUP, registered last, shows as
    /// caught in /proc/PID/status) and a little longer, sends SIGTERM, and waits for the end.
    /// </summary>
    private (int ExitCode, string Error) Terminate(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "exitsim.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!CatchesSighup(p.Id) && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(50);
        Thread.Sleep(1000);   // into the work
        // (Not stderr.Result in the message: it would wait for the process to end.)
        Assert.True(State(p.Id) is "R" or "S", "exitsim ended before it could be signalled");
        Assert.Equal(0, kill(p.Id, SIGTERM));
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("exitsim did not stop within 60 s of SIGTERM");
        }
        _ = stdout.Result;
        return (p.ExitCode, stderr.Result);
    }

    private static string? Status(int pid, string field)
    {
        try { return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":"))?[(field.Length + 1)..].Trim(); }
        catch (IOException) { return null; }
    }

    private static bool CatchesSighup(int pid) => Status(pid, "SigCgt") is { } mask && (Convert.ToUInt64(mask, 16) & 1) != 0;

    private static string? State(int pid) => Status(pid, "State")?[..1];

    [SkippableFact]
    public void Sigterm_stops_a_sweep_which_saves_its_points_for_resume()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "SIGTERM and /proc/PID/status: Linux");
        string scenario = Repo.Path("scenarios", "seed-article", "web.yaml"), output = _dir.File("sweep.csv");
        string[] sweep = ["sweep", scenario, "--vary", "vm.vcpus=1..40", "--duration", "1s", "-r", "4", "--threads", "1", "-o", output];
        var (code, error) = Terminate(sweep);
        Assert.Equal(143, code);
        Assert.Matches(@"^exitsim: stopped by SIGTERM: \d+ of 40 points done, saved to .*sweep\.csv\.partial\.json; resume with the same command plus --resume .*$", error.TrimEnd());
        Assert.False(File.Exists(output));
        Assert.True(File.Exists(output + ".partial.json"));

        // The saved file is one --resume accepts (stopped again at once here: the check is that it is read).
        using var now = new CancellationTokenSource();
        now.Cancel();
        var again = CliRunner.Run(now.Token, [.. sweep, "--resume", output + ".partial.json"]);
        Assert.True(again.ExitCode == 130, again.Error);
        Assert.StartsWith("exitsim: interrupted: ", again.Error);
    }

    [SkippableFact]
    public void Sigterm_stops_a_run_which_writes_nothing()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "SIGTERM and /proc/PID/status: Linux");
        string reports = _dir.File("reports");
        var (code, error) = Terminate("run", Repo.Path("scenarios", "seed-article", "database.yaml"), "--duration", "60s", "-r", "2", "--threads", "1", "--out", reports);
        Assert.Equal(143, code);
        Assert.Equal("exitsim: stopped by SIGTERM; nothing was written", error.TrimEnd());
        Assert.False(Directory.Exists(reports));
    }
}
