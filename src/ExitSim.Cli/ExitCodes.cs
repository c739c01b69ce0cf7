namespace ExitSim.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
    /// <summary>Stopped by Ctrl-C (128 + SIGINT), nothing written.</summary>
    public const int Interrupted = 130;
}
