using System.CommandLine;
using ExitSim.Running;

namespace ExitSim.Cli;

/// <summary>
/// <c>--seed</c>, <c>--duration</c> and <c>--replications</c>: overrides of a scenario's <c>run:</c> section,
/// declared once so that every simulating command spells, describes and checks them alike.
/// </summary>
public sealed class RunOverrideOptions
{
    private readonly int _minReplications;

    public RunOverrideOptions(int minReplications = 1, string? replications = null, string? duration = null)
    {
        _minReplications = minReplications;
        Seed = CliOptions.SeedOption();
        Duration = new Option<string?>("--duration")
            { Description = duration ?? "Measured simulated time per replication, e.g. 2s or 500ms (overrides run.duration)", HelpName = "T" };
        Replications = new Option<string?>("--replications", "-r")
            { Description = replications ?? "Number of replications (overrides run.replications)", HelpName = "N" };
    }

    public Option<string?> Seed { get; }
    public Option<string?> Duration { get; }
    public Option<string?> Replications { get; }

    public IEnumerable<Option> All => [Seed, Duration, Replications];

    /// <summary>The overrides given (null where not), with <paramref name="threads"/> worker threads.</summary>
    public RunOptions Read(ParseResult pr, int? threads = null) => new()
    {
        Seed = CliOptions.Seed(pr.GetValue(Seed)),
        DurationNs = CliOptions.Duration(pr.GetValue(Duration), "--duration"),
        Replications = CliOptions.Count(pr.GetValue(Replications), "--replications", _minReplications),
        Threads = threads ?? Environment.ProcessorCount,
    };
}
