namespace ExitSim.Running;

/// <summary>The ExitSim version outputs record (major.minor.patch: no build hash, so regenerated files stay byte-stable).</summary>
public static class ExitSimVersion
{
    public static readonly string Current = typeof(ExitSimVersion).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "unknown";
}
