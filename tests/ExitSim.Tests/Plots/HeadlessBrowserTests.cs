using System.Diagnostics;
using System.Text.RegularExpressions;
using ExitSim.Plots;
using SkiaSharp;

namespace ExitSim.Tests.Plots;

/// <summary>
/// Opens the HTML report in a real browser: Debian's headless Chromium renders it to a screenshot
/// and dumps the DOM it built. Skipped when /usr/bin/chromium is absent (CI installs it with apt).
/// </summary>
[Collection(PlotCollection.Name)]
public sealed class HeadlessBrowserTests(SampleRun sample)
{
    private const string Chromium = "/usr/bin/chromium";

    [SkippableFact]
    public void Chromium_renders_the_report_with_every_chart()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} not found: install it with `apt-get install -y chromium` to run the browser check");
        using var dir = new TempDir();
        var charts = ChartSet.RunChartSvgs(sample.Report, sample.Timeline);
        string html = HtmlReport.Format(sample.Report, charts);
        // The page has no scripts of its own and fetches nothing, so there is no script error to catch.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        string page = dir.File("report.html");
        File.WriteAllText(page, html);
        string url = new Uri(page).AbsoluteUri;

        string shot = dir.File("screenshot.png");
        string dom = RunChromium(dir.File("profile"), $"--screenshot={shot}", "--dump-dom", "--window-size=1400,3000", url);
        ChartAssert.IsPng(shot, 50_000);
        using (var bitmap = SKBitmap.Decode(shot))
        {
            Assert.Equal((1400, 3000), (bitmap.Width, bitmap.Height));
            // Drawn, not blank: plenty of non-white pixels, and the first chart's bars in their phase colours.
            Assert.True(CountPixels(bitmap, c => c.Red < 200 || c.Green < 200 || c.Blue < 200) > 100_000, "screenshot is (nearly) blank");
            Assert.True(CountPixels(bitmap, c => Near(c, 0x94, 0x67, 0xBD)) > 2_000, "no 'emulate' purple: the exit-time chart did not render");
            Assert.True(CountPixels(bitmap, c => Near(c, 0xFF, 0x7F, 0x0E)) > 2_000, "no 'handle' orange: the exit-time chart did not render");
        }

        Assert.Contains("<h1>ExitSim report: seed-database</h1>", dom);
        var svgs = Regex.Matches(dom, @"<svg\b.*?</svg>", RegexOptions.Singleline);
        Assert.Equal(charts.Count, svgs.Count);
        foreach (var (svg, (title, _)) in svgs.Zip(charts))
        {
            Assert.Contains($"aria-label=\"{Escape(title)}\"", svg.Value);
            Assert.True(Regex.Count(svg.Value, @"<text\b") >= 10, $"chart '{title}' lost its text in the browser");
            Assert.Contains("<rect", svg.Value);
        }
        foreach (Match img in Regex.Matches(dom, @"<img\b[^>]*>", RegexOptions.IgnoreCase))
            Assert.Matches(@"\bsrc=""data:[^""]+""", img.Value);
        Assert.DoesNotContain("<parsererror", dom);
    }

    private static string RunChromium(string profile, params string[] args)
    {
        var psi = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // As on the machine notes: no sandbox (root in CI), no GPU, and no background connections (the network is closed).
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
        }.Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within 90 s: {string.Join(' ', args)}");
        }
        Assert.True(p.ExitCode == 0, $"chromium exited with {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>How Chromium serialises an attribute value.</summary>
    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("\"", "&quot;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static int CountPixels(SKBitmap bitmap, Func<SKColor, bool> match)
    {
        int n = 0;
        foreach (var c in bitmap.Pixels) if (match(c)) n++;
        return n;
    }

    private static bool Near(SKColor c, int r, int g, int b) =>
        Math.Abs(c.Red - r) <= 12 && Math.Abs(c.Green - g) <= 12 && Math.Abs(c.Blue - b) <= 12;
}
