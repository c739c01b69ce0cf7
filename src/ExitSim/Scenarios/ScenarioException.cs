using System.Text;

namespace ExitSim.Scenarios;

/// <summary>
/// Bad scenario input, located in its file: printed as <c>file:line:col: message (hint)</c>.
/// The CLI turns it into exit code 2 without a stack trace.
/// </summary>
public sealed class ScenarioException(string file, int line, int column, string message) : Exception(OneLine(message))
{
    /// <summary>Longest piece of the user's text a message quotes; the rest is elided.</summary>
    private const int MaxQuoted = 60;

    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Located => $"{OneLine(File)}:{Line}:{Column}: {Message}";
    public override string ToString() => Located;

    /// <summary>
    /// The message on one line whatever the input held: control characters escaped, and quoted input
    /// (a 10,000-character name, a line of /dev/urandom) cut short.
    /// </summary>
    private static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        int quoteStart = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            // A quote opens after a non-letter and closes before one, so "guest's" is not a quote.
            if (c == '\'' && quoteStart < 0 && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))) quoteStart = sb.Length;
            else if (c == '\'' && quoteStart >= 0 && (i + 1 == text.Length || !char.IsLetterOrDigit(text[i + 1])))
            {
                if (sb.Length - quoteStart - 1 > MaxQuoted) { sb.Length = quoteStart + 1 + MaxQuoted; sb.Append('…'); }
                quoteStart = -1;
            }
            if (char.IsControl(c)) sb.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
