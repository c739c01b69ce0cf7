using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// BCC <c>kvmexit.py</c> output (iovisor/bcc tools/kvmexit.py): one measurement per invocation (<c>Display kvm exit reasons …</c>), rows in
/// any of the column modes (<c>PID TID</c>, <c>TID</c>, <c>TIDS</c>, none), <c>^C</c> glued to the first row, names with or
/// without the <c>EXIT_REASON_</c> prefix, and the unmerged PR #4576 variant's mean-time column (ns).
/// </summary>
public sealed partial class BccKvmexitImporter : IMeasurementImporter
{
    private const string ReasonPrefix = "EXIT_REASON_";

    public MeasurementFormat Format => MeasurementFormat.BccKvmexit;

    public ImportScan Scan(SourceText source, CancellationToken cancel = default)
    {
        var scan = new ScanCollector(source, Format);
        Columns? columns = null;
        for (var index = 0; index < source.Lines.Count; index++)
        {
            ScanCollector.CheckCancel(index, cancel);
            var line = source.Lines[index];
            var lineNo = index + 1;
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            if (Banner().Match(line) is { Success: true } banner)
            {
                scan.Recognised();
                var run = scan.Start(lineNo);
                run.Title = line.Trim();
                var secs = banner.Groups["secs"];
                run.IntervalSeconds = secs.Success && scan.InRange(Numbers.TryCount(secs.Value, out var n) && n * 1e9 <= Numbers.MaxTimeNs, lineNo, line, secs.Value, "sleep")
                    ? n
                    : null;
                columns = null;
                continue;
            }

            if (ColumnHeader().Match(line) is { Success: true } header)
            {
                scan.Recognised();
                if (scan.Current is null || columns is not null)
                {
                    scan.Start(lineNo); // a header without its banner line, or a second table after the first
                }

                columns = new Columns(
                    header.Groups["ids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    header.Groups["avg"].Success);
                continue;
            }

            // Ctrl-C echoes "^C" at the start of the first row (or on a line of its own).
            var row = line.StartsWith("^C", StringComparison.Ordinal) ? line[2..] : line;
            if (SourceText.IsBlank(row))
            {
                scan.Recognised();
                continue;
            }

            if (columns is not null && scan.Current is { } current && columns.TryRead(row, lineNo, line, scan) is { } reason)
            {
                scan.Recognised();
                current.Reasons.Add(reason);
                current.VendorEvidence.Add(reason.Name);
                continue;
            }

            scan.Skip(lineNo, line);
        }

        return scan.Finish();
    }

    /// <summary>The id columns in front of the reason (<c>PID TID</c>, <c>TID</c>, <c>TIDS</c> or none) and whether a mean-time column follows the count.</summary>
    private sealed record Columns(string[] Ids, bool HasMeanTime)
    {
        /// <summary>The row's reason; null when the row does not have this table's shape, or (with the problem recorded) when a
        /// number in it is out of range.</summary>
        public ReasonMeasurement? TryRead(string row, int lineNo, string line, ScanCollector scan)
        {
            var cells = row.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var expected = Ids.Length + 2 + (HasMeanTime ? 1 : 0);
            if (cells.Length != expected || !cells.Take(Ids.Length).All(IsUnsigned) || !ReasonName().IsMatch(cells[Ids.Length])
                || !IsUnsigned(cells[Ids.Length + 1]) || (HasMeanTime && !double.TryParse(cells[^1], System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                return null;
            }

            var ids = new long[Ids.Length];
            for (var i = 0; i < Ids.Length; i++)
            {
                if (!scan.InRange(Numbers.TryCount(cells[i], out ids[i]), lineNo, line, cells[i], Ids[i]))
                {
                    return null;
                }
            }

            string countText = cells[Ids.Length + 1], meanText = cells[^1];
            double mean = 0;
            if (!scan.InRange(Numbers.TryCount(countText, out var count), lineNo, line, countText, "COUNT")
                || (HasMeanTime && !scan.InRange(Numbers.TryDouble(meanText, out mean) && mean >= 0 && mean <= Numbers.MaxTimeNs, lineNo, line, meanText, "mean time")))
            {
                return null;
            }

            var printed = cells[Ids.Length];
            var name = printed.StartsWith(ReasonPrefix, StringComparison.Ordinal) ? printed[ReasonPrefix.Length..] : printed;
            return new ReasonMeasurement
            {
                Name = name,
                SourceName = name == printed ? null : printed,
                Count = count,
                MeanNs = HasMeanTime ? mean : null,
                SourceLine = lineNo,
                Pid = Ids.Length == 2 ? ids[0] : null,
                Tid = Ids.Length > 0 ? ids[^1] : null,
            };
        }

        private static bool IsUnsigned(string cell) => cell.All(char.IsAsciiDigit);
    }

    [GeneratedRegex(@"^\s*Display kvm exit reasons and statistics for (?<ctx>.+?)(?: after sleeping (?<secs>\d+) secs\.|\.\.\. Hit Ctrl-C to end\.)?\s*$")]
    private static partial Regex Banner();

    // "%s%-35s %s" % (prefix, "KVM_EXIT_REASON", "COUNT"), plus PR #4576's mean-time column.
    [GeneratedRegex(@"^\s*(?<ids>(?:PID\s+TID|TIDS|TID)\s+)?KVM_EXIT_REASON\s+COUNT(?:\s+(?<avg>\w*AVG\w*))?\s*$")]
    private static partial Regex ColumnHeader();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]*$")]
    private static partial Regex ReasonName();
}
