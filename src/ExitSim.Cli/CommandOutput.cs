using ExitSim.Cli.Outputs;

namespace ExitSim.Cli;

/// <summary>Where a command's one output goes: standard output, or a file written atomically (then one line saying so).</summary>
public static class CommandOutput
{
    /// <summary>The checked <c>-o</c> file, or null for standard output.</summary>
    public static OutputPath? File(string? path) => path is null ? null : OutputPath.File("-o", path);

    public static void Write(CliContext ctx, string text, OutputPath? path, string? note = null)
    {
        if (path is null)
        {
            ctx.Out.Write(text);
            return;
        }
        AtomicFiles.WriteFile(path, text);
        path.Report(ctx.Out, note);
    }
}
