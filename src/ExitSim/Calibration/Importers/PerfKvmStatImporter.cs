using System.Text.RegularExpressions;

using ExitSim.Model;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// <c>perf kvm stat report</c> and <c>live</c> text (tools/perf/builtin-kvm.c): 3.7-era tables without
/// Min/Max, 20- and 40-character name columns, several reports per file, live time stamps and console clears,
/// interleaved <c>unknown kvm exit code</c> messages. Rows are split from the right, so names may contain spaces.
/// </summary>
public sealed partial class PerfKvmStatImporter : IMeasurementImporter
{
    public MeasurementFormat Format => MeasurementFormat.PerfKvmStat;

    public ImportScan Scan(SourceText source, CancellationToken cancel = default)
    {
        var scan = new ScanCollector(source, Format);
        for (var index = 0; index < source.Lines.Count; index++)
        {
            ScanCollector.CheckCancel(index, cancel);
            var lineNo = index + 1;
            var raw = source.Lines[index];
            if (SourceText.IsComment(raw))
            {
                continue;
            }

            // Live mode clears the console with "\x1b[H\x1b[2J" before each refresh.
            var text = AnsiEscape().Replace(raw, string.Empty);
            text = TakeUnknownExitMessages(text, scan);
            if (SourceText.IsBlank(text))
            {
                continue;
            }

            ReadLine(text, lineNo, scan);
        }

        CheckFooters(source, scan);
        return scan.Finish();
    }

    private static void ReadLine(string text, int lineNo, ScanCollector scan)
    {
        if (LiveTimestamp().IsMatch(text))
        {
            scan.Recognised();
            scan.Start(lineNo).Title = text.Trim();
            return;
        }

        if (Analyze().Match(text) is { Success: true } analyze)
        {
            scan.Recognised();
            // A live refresh already started this report at its time stamp.
            var report = scan.Current is { HasData: false, Table: null, Closed: false } fresh && fresh.Title is { } stamp
                && LiveTimestamp().IsMatch(stamp)
                ? fresh
                : scan.Start(lineNo);
            report.Title = report.Title is null ? text.Trim() : $"{report.Title} {text.Trim()}";
            if (VcpuScope().Match(analyze.Groups["scope"].Value) is { Success: true } vcpu)
            {
                var id = vcpu.Groups[1].Value;
                report.Vcpu = scan.InRange(int.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var n), lineNo, text, id, "vCPU") ? n : null;
            }

            return;
        }

        if (Header().Match(text) is { Success: true } header)
        {
            scan.Recognised();
            var report = scan.Current is { HasData: false, Table: null, Closed: false } open ? open : scan.Start(lineNo);
            report.Table = header.Groups["kind"].Value;
            return;
        }

        if (Row().Match(text) is { Success: true } row)
        {
            scan.Recognised();
            var report = scan.Current is { Closed: false } open ? open : scan.Start(lineNo);
            if (ToReason(row, lineNo, text, scan) is { } reason)
            {
                report.Reasons.Add(reason);
                report.VendorEvidence.Add(reason.Name);
            }

            return;
        }

        if (Footer().Match(text) is { Success: true } footer && scan.Current is { } current)
        {
            scan.Recognised();
            current.Closed = true;
            string n = footer.Groups["n"].Value, us = footer.Groups["us"].Value;
            if (!scan.InRange(Numbers.TryCount(n, out var total), lineNo, text, n, "Total Samples")
                || !scan.InRange(Numbers.TryMicrosecondsToNs(us, out var time), lineNo, text, us, "total time"))
            {
                return;
            }

            current.TotalSamples = total;
            current.TotalTimeNs = time;
            if (Numbers.Sum(current.Reasons.Select(r => r.Count)) is var sum && sum != current.TotalSamples)
            {
                current.Notes.Add($"rows sum to {sum} but Total Samples is {current.TotalSamples} (rows dropped from the copy?)");
            }

            return;
        }

        if (LostEvents().Match(text) is { Success: true } lost && scan.Current is { } last)
        {
            scan.Recognised();
            var n = lost.Groups["n"].Value;
            last.LostEvents = scan.InRange(Numbers.TryCount(n, out var count), lineNo, text, n, "Lost events") ? count : null;
            return;
        }

        if (SlowEvent().IsMatch(text))
        {
            scan.Recognised();
            scan.Note($"line {lineNo}: live --duration message: {text.Trim()}");
            return;
        }

        scan.Skip(lineNo, text);
    }

    /// <summary>The row's reason, or null (with the problem recorded) when one of its numbers is out of range.</summary>
    private static ReasonMeasurement? ToReason(Match row, int lineNo, string text, ScanCollector scan)
    {
        double? Time(Group g, string what) =>
            !g.Success ? null : scan.InRange(Numbers.TryMicrosecondsToNs(g.Value, out var ns), lineNo, text, g.Value, what) ? ns : double.NaN;

        var n = row.Groups["n"].Value;
        if (!scan.InRange(Numbers.TryCount(n, out var count), lineNo, text, n, "Samples"))
        {
            return null;
        }

        double? min = Time(row.Groups["min"], "Min Time"), max = Time(row.Groups["max"], "Max Time"), mean = Time(row.Groups["avg"], "Avg time");
        if (min is double.NaN || max is double.NaN || mean is double.NaN)
        {
            return null;
        }

        return new ReasonMeasurement
        {
            Name = row.Groups["name"].Value,
            Count = count,
            SamplesPct = Numbers.DoubleOrNull(row.Groups["samplespct"].Value),
            TimePct = Numbers.DoubleOrNull(row.Groups["timepct"].Value),
            MinNs = min,
            MaxNs = max,
            MeanNs = mean,
            RelStdErrPct = Numbers.DoubleOrNull(row.Groups["rse"].Value),
            SourceLine = lineNo,
        };
    }

    /// <summary>
    /// pr_err's <c>unknown kvm exit code:N on VMX</c> goes to stderr and can land anywhere, even inside a table row:
    /// note each one and return the rest of the line.
    /// </summary>
    private static string TakeUnknownExitMessages(string text, ScanCollector scan)
    {
        var matches = UnknownExit().Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        foreach (Match unknown in matches)
        {
            scan.Recognised();
            scan.Note($"unknown kvm exit code {unknown.Groups["code"].Value} on {unknown.Groups["isa"].Value} (counted by perf as UNKNOWN)");
            if (scan.Current is { } current)
            {
                current.VendorHint = unknown.Groups["isa"].Value == "VMX" ? Vendor.Intel : Vendor.Amd;
            }
        }

        return UnknownExit().Replace(text, string.Empty);
    }

    /// <summary>Every report ends with <c>Total Samples:…</c>; one cut off at the end of the file means the file is truncated.</summary>
    private static void CheckFooters(SourceText source, ScanCollector scan)
    {
        foreach (var report in scan.Builders.Where(b => !b.Closed && b.Reasons.Count > 0))
        {
            if (report == scan.Builders[^1])
            {
                scan.Fail(
                    source.Lines.Count,
                    1,
                    $"report starting at line {report.StartLine} ends without its 'Total Samples:N, Total events handled time:Xus.' footer (truncated file?)");
            }
            else
            {
                report.Notes.Add("report has no 'Total Samples' footer");
            }
        }
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\s*\d{2}:\d{2}:\d{2}\.\d{6}\s*$")]
    private static partial Regex LiveTimestamp();

    [GeneratedRegex(@"^\s*Analyze events for (?<scope>.+?):\s*$")]
    private static partial Regex Analyze();

    [GeneratedRegex(@"\bVCPU (\d+)$")]
    private static partial Regex VcpuScope();

    [GeneratedRegex(@"^\s*(?<kind>\S.*?)\s+Samples\s+Samples%\s+Time%\s+(?:Min Time\s+Max Time\s+)?Avg time\s*$")]
    private static partial Regex Header();

    // "%*s %10llu %8.2f%% %8.2f%% [%9.2fus %9.2fus ]%9.2fus ( +-%7.2f%% )", matched from the right end.
    [GeneratedRegex(@"^\s*(?<name>\S(?:.*?\S)?)\s+(?<n>\d+)\s+(?<samplespct>[\d.]+|-?nan)%\s+(?<timepct>[\d.]+|-?nan)%\s+(?:(?<min>[\d.]+)us\s+(?<max>[\d.]+)us\s+)?(?<avg>[\d.]+)us\s+\(\s*\+-\s*(?<rse>[\d.]+|-?nan|-?inf)%\s*\)\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"^\s*Total Samples:\s*(?<n>\d+),\s*Total events handled time:\s*(?<us>[\d.]+)us\.?\s*$")]
    private static partial Regex Footer();

    [GeneratedRegex(@"^\s*Lost events:\s*(?<n>\d+)\s*$")]
    private static partial Regex LostEvents();

    [GeneratedRegex(@"unknown kvm exit code:\s*(?<code>-?\d+) on (?<isa>VMX|SVM)")]
    private static partial Regex UnknownExit();

    [GeneratedRegex(@"^\s*\d+ VM \d+, vcpu \d+: .+ event took \d+usec\s*$")]
    private static partial Regex SlowEvent();
}
