using System.Text.Json;

namespace ExitSim.Tests.Cli;

public class EvidenceCommandTests
{
    private static readonly string Cases = Repo.Path("validation", "published");

    [Fact]
    public void Json_records_every_case_with_its_figures_and_verdict()
    {
        var r = CliRunner.Run("evidence", "--cases", Cases, "--format", "json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(7, cases.Length);
        foreach (var c in cases)
            foreach (var field in new[] { "id", "published", "simulated", "ci95", "low", "high", "pass", "status", "needs" })
                Assert.True(c.TryGetProperty(field, out _), $"{field} missing");
        var cpuid = cases.Single(c => c.GetProperty("id").GetString() == "PC-12");
        Assert.True(cpuid.GetProperty("pass").GetBoolean());
        Assert.Equal(1100, cpuid.GetProperty("simulated").GetDouble(), 6);
        Assert.Equal("expressible", cpuid.GetProperty("status").GetString());
        foreach (var c in cases.Where(c => c.GetProperty("status").GetString() == "not-expressible"))
        {
            Assert.Equal(JsonValueKind.Null, c.GetProperty("pass").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("needs").GetString()));
        }
        var nested = cases.Single(c => c.GetProperty("id").GetString() == "PC-14");
        Assert.Equal("expressible", nested.GetProperty("status").GetString());
        Assert.False(nested.GetProperty("pass").GetBoolean());
    }

    [Fact]
    public void One_case_runs_alone_as_a_table()
    {
        var r = CliRunner.Run("evidence", "--cases", Cases, "--case", "pc-12", "--format", "table");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("PC-12", r.Out);
        Assert.Contains("pass", r.Out);
        Assert.DoesNotContain("PC-14", r.Out);
    }

    [Theory]
    [InlineData("--case", "PC-13", "--case: no case 'PC-13'")]
    [InlineData("--format", "csv", "--format: evidence does not write csv")]
    [InlineData("--cases", "/nonexistent/cases", "--cases: no folder")]
    public void Bad_input_is_one_line_and_exit_code_2(string option, string value, string message)
    {
        var args = option == "--cases" ? new[] { "evidence", option, value } : ["evidence", "--cases", Cases, option, value];
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_broken_case_file_is_located_and_nothing_is_written()
    {
        string dir = Directory.CreateTempSubdirectory("exitsim-evidence").FullName;
        File.WriteAllText(Path.Combine(dir, "bad.yaml"), "id: X-1\ntitle: t\nmechanism: m\nsource: { title: s, venue: v, date: d }\npublished: { value: 1, unit: x, text: one }\nstatus: maybe\n");
        string outFile = Path.Combine(dir, "board.md");
        var r = CliRunner.Run("evidence", "--cases", dir, "-o", outFile);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(Path.Combine(dir, "bad.yaml") + ":6:9: status 'maybe'", r.Error);
        Assert.False(File.Exists(outFile));
    }
}
