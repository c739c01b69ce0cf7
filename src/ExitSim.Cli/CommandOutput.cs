namespace ExitSim.Cli;

/// <summary>Where a command's one output goes: standard output, or a file written atomically (then one line saying so).</summary>
public static class CommandOutput
{
    public static void Write(CliContext ctx, string text, string? path, string? note = null)
    {
        if (path is null)
        {
            ctx.Out.Write(text);
            return;
        }
        AtomicFiles.WriteFile(path, text);
        ctx.Out.WriteLine($"wrote {path}{(note is null ? "" : $" ({note})")}");
    }
}
