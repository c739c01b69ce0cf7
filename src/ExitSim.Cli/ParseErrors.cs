using System.CommandLine;
using System.CommandLine.Parsing;

namespace ExitSim.Cli;

/// <summary>
/// The one line a command-line mistake gets: the most specific complaint, a "did you mean" for a
/// mistyped command or option name (as scenario keys get one), then where to look.
/// </summary>
public static class ParseErrors
{
    public static string Message(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string where = $"see: exitsim {(command is RootCommand ? "" : CommandPath(parse.CommandResult) + " ")}--help";
        foreach (var token in parse.UnmatchedTokens)
            if (Suggestion(command, token) is { } near)
                return $"exitsim: unknown {(token.StartsWith('-') ? "option" : "command")} '{token}' (did you mean {near}?) ({where})";
        var messages = parse.Errors.Select(e => e.Message.TrimEnd('.')).OrderBy(m => m.StartsWith("Required") ? 1 : 0);
        return $"exitsim: {string.Join("; ", messages)} ({where})";
    }

    /// <summary>The closest option (for a token starting with '-') or subcommand of <paramref name="command"/>, or null.</summary>
    public static string? Suggestion(Command command, string token)
    {
        if (token.StartsWith('-'))
        {
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--"));
            return token.StartsWith("--") && token.Length > 3 ? Suggest.Closest(token, names) : null;
        }
        return token.Length >= 2 ? Suggest.Closest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) : null;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Command is not RootCommand; r = r.Parent) names.Insert(0, c.Command.Name);
        return string.Join(" ", names);
    }
}
