namespace ExitSim.Tests.Scenarios;

/// <summary>Small scenarios written inline for tests.</summary>
public static class ScenarioText
{
    public const string Minimal = """
        name: tiny
        host:
          vendor: intel
          ghz: 2.0
          cores: 4
        costs:
          save: const(200ns)
          handle: exp(500ns)
          reenter: const(100ns)
        vm:
          vcpus: 2
        exits:
          IO_INSTRUCTION:
            rate: 20k/s
            path: userspace
            emulate: exp(2us)
          MSR_WRITE:
            rate: 30k/s
        run:
          duration: 50ms
          warmup: 5ms
          replications: 3
          seed: 7
        """;

    /// <summary>The minimal scenario with one line replaced (matched by its trimmed text).</summary>
    public static string With(string line, string replacement)
    {
        var lines = Minimal.Split('\n');
        int i = Array.FindIndex(lines, l => l.Trim() == line);
        if (i < 0) throw new ArgumentException($"no line '{line}'");
        string indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
        lines[i] = string.Join("\n", replacement.Split('\n').Select(r => indent + r));
        return string.Join("\n", lines);
    }
}
