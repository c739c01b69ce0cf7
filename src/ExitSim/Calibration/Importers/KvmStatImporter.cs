using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// <c>kvm_stat</c> output (tools/kvm/kvm_stat/kvm_stat): TUI screen captures (<c>kvm statistics - …</c>, optional
/// <c>regex filter:</c>, indented child rows, <c>Total</c> last), the old debugfs <c>Event Total Current</c> layout, <c>-1</c>
/// batch rows, <c>-l</c> logs (banner re-printed every 20 rows) and <c>-l -c</c> CSV. One measurement per screen or log.
/// </summary>
public sealed partial class KvmStatImporter : IMeasurementImporter
{
    private enum Layout
    {
        /// <summary>After a <c>kvm statistics</c> title, before its column header (RHEL 6/7 printed rows straight away).</summary>
        Screen,
        Tui,
        Debugfs,
        Batch,
        Log,
        Csv,
    }

    public MeasurementFormat Format => MeasurementFormat.KvmStat;

    public ImportScan Scan(SourceText source, CancellationToken cancel = default)
    {
        var scan = new ScanCollector(source, Format);
        var state = new ScanState();
        for (var index = 0; index < source.Lines.Count; index++)
        {
            ScanCollector.CheckCancel(index, cancel);
            var line = source.Lines[index];
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            ReadLine(source, index, scan, state);
        }

        state.FinishLog(scan);
        CheckTotals(source, scan, state);
        return scan.Finish();
    }

    private static void ReadLine(SourceText source, int index, ScanCollector scan, ScanState state)
    {
        var line = source.Lines[index];
        var lineNo = index + 1;

        if (Title().IsMatch(line))
        {
            scan.Recognised();
            state.FinishLog(scan);
            scan.Start(lineNo).Title = line.Trim();
            state.Layout = Layout.Screen;
            state.ParentIndent = null;
            return;
        }

        if (state.Layout is Layout.Screen or Layout.Tui or Layout.Debugfs && scan.Current is { Closed: false } screen)
        {
            if (ReadScreenLine(line, lineNo, screen, scan, state))
            {
                scan.Recognised();
                return;
            }
        }

        if (CsvBanner().IsMatch(line))
        {
            scan.Recognised();
            state.StartLog(scan, lineNo, Layout.Csv, line.Trim().Split(',')[1..]);
            return;
        }

        if (state.Layout == Layout.Csv && CsvRow().Match(line) is { Success: true } csv)
        {
            scan.Recognised();
            state.AddLogRow(csv.Groups["vals"].Value.Split(',', StringSplitOptions.TrimEntries)[1..], lineNo, scan);
            return;
        }

        if (LogRow().Match(line) is { Success: true } logRow && state.Layout == Layout.Log)
        {
            scan.Recognised();
            state.AddLogRow(logRow.Groups["vals"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), lineNo, scan);
            return;
        }

        if (IsLogBanner(source, index, out var keys))
        {
            scan.Recognised();
            // kvm_stat -l re-prints the same banner every 20 rows: that continues the log.
            if (state.Layout != Layout.Log || !keys.SequenceEqual(state.LogKeys))
            {
                state.StartLog(scan, lineNo, Layout.Log, keys);
            }

            return;
        }

        if (BatchRow().Match(line) is { Success: true } batch)
        {
            var name = batch.Groups["name"].Value;
            if (KvmStatKey.LooksLikeKvmStatKey(name))
            {
                scan.Recognised();
            }

            if (state.Layout != Layout.Batch || scan.Current is null)
            {
                state.FinishLog(scan);
                scan.Start(lineNo).Title = "kvm_stat -1";
                state.Layout = Layout.Batch;
            }

            // The second column is the delta over kvm_stat's one-second batch sample.
            string total = batch.Groups["total"].Value, delta = batch.Groups["delta"].Value;
            if (scan.InRange(Numbers.TryCount(total, out var count), lineNo, line, total, "Total")
                && scan.InRange(Numbers.TryCount(delta, out var perSecond), lineNo, line, delta, "delta"))
            {
                KvmStatKey.Classify(name).AddTo(scan.Current!, count, perSecond, lineNo);
            }

            return;
        }

        scan.Skip(lineNo, line);
    }

    /// <summary>A line inside a <c>kvm statistics</c> screen; false if it is not one of the screen's lines.</summary>
    private static bool ReadScreenLine(string line, int lineNo, MeasurementBuilder screen, ScanCollector scan, ScanState state)
    {
        if (RegexFilter().Match(line) is { Success: true } filter)
        {
            screen.Notes.Add($"kvm_stat regex filter '{filter.Groups[1].Value.Trim()}': rows show only matching events");
            return true;
        }

        if (TuiHeader().IsMatch(line))
        {
            state.Layout = Layout.Tui;
            return true;
        }

        if (DebugfsHeader().IsMatch(line))
        {
            state.Layout = Layout.Debugfs;
            screen.Notes.Add("old kvm_stat layout: the Current column (change since the previous refresh) is not a rate and was not used");
            return true;
        }

        if (state.Layout == Layout.Tui && TuiTotal().Match(line) is { Success: true })
        {
            screen.Closed = true; // the Total row is derivable (sum of the parent rows); it only marks the end of the screen
            return true;
        }

        if (MatchScreenRow(line, state.Layout) is { } row)
        {
            AddScreenRow(row, lineNo, line, screen, scan, state);
            return true;
        }

        // One published capture has a stray character in a row; blank isolated letters out and try again.
        var repaired = StrayLetter().Replace(line, m => new string(' ', m.Length));
        if (repaired != line && MatchScreenRow(repaired, state.Layout) is { } repairedRow)
        {
            AddScreenRow(repairedRow, lineNo, line, screen, scan, state);
            scan.Note($"line {lineNo}: ignored stray characters in '{line.Trim()}'");
            return true;
        }

        return false;
    }

    private static Match? MatchScreenRow(string line, Layout? layout)
    {
        var match = layout == Layout.Tui ? TuiRow().Match(line) : DebugfsRow().Match(line);
        return match.Success ? match : null;
    }

    private static void AddScreenRow(Match row, int lineNo, string line, MeasurementBuilder screen, ScanCollector scan, ScanState state)
    {
        // Child rows (kvm_exit(HLT) under kvm_exit) are indented two more columns than their parent.
        var indent = row.Groups["indent"].Length;
        state.ParentIndent ??= indent;
        var name = row.Groups["name"].Value;
        var key = KvmStatKey.Classify(name);
        var isChild = indent > state.ParentIndent;
        if (isChild && key.Reason is null)
        {
            key = key with { IsExitTotal = false }; // a child never restates the exit total
        }

        // TUI: CurAvg/s is blank when the rate is 0.
        var avg = row.Groups["avg"];
        long perSecond = 0;
        if (state.Layout == Layout.Tui && avg.Success && !scan.InRange(Numbers.TryCount(avg.Value, out perSecond), lineNo, line, avg.Value, "CurAvg/s"))
        {
            return;
        }

        var total = row.Groups["total"].Value;
        if (scan.InRange(Numbers.TryCount(total, out var count), lineNo, line, total, "Total"))
        {
            key.AddTo(screen, count, state.Layout == Layout.Tui ? perSecond : null, lineNo);
        }
    }

    /// <summary>A TUI screen ends with its <c>Total</c> row; a screen cut off before it is a truncated file.</summary>
    private static void CheckTotals(SourceText source, ScanCollector scan, ScanState state)
    {
        if (state.Layout == Layout.Tui && scan.Current is { Closed: false, HasData: true } last)
        {
            scan.Fail(source.Lines.Count, 1, $"kvm_stat screen starting at line {last.StartLine} ends without its 'Total' row (truncated file?)");
        }
    }

    /// <summary>A <c>-l</c> banner: event keys separated by spaces, followed by a time-stamped row with one value per key.</summary>
    private static bool IsLogBanner(SourceText source, int index, out string[] keys)
    {
        keys = [];
        if (!LogBanner().IsMatch(source.Lines[index]))
        {
            return false;
        }

        for (var next = index + 1; next < source.Lines.Count; next++)
        {
            var line = source.Lines[next];
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            var candidate = source.Lines[index].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (LogRow().Match(line) is { Success: true } row
                && row.Groups["vals"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == candidate.Length)
            {
                keys = candidate;
                return true;
            }

            return false;
        }

        return false;
    }

    /// <summary>Scan state that spans lines: current layout, the parent indentation of a screen, and running log sums.</summary>
    private sealed class ScanState
    {
        public Layout? Layout { get; set; }

        public int? ParentIndent { get; set; }

        public string[] LogKeys { get; private set; } = [];

        private long[] _logSums = [];
        private int _logRows;
        private int _firstLogRow;

        public void StartLog(ScanCollector scan, int lineNo, Layout layout, string[] keys)
        {
            FinishLog(scan);
            scan.Start(lineNo).Title = layout == KvmStatImporter.Layout.Csv ? "kvm_stat -l -c" : "kvm_stat -l";
            Layout = layout;
            LogKeys = keys;
            _logSums = new long[keys.Length];
            _logRows = 0;
        }

        public void AddLogRow(string[] values, int lineNo, ScanCollector scan)
        {
            if (values.Length != LogKeys.Length)
            {
                scan.Skip(lineNo, $"{values.Length} values for {LogKeys.Length} keys");
                return;
            }

            var parsed = new long[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i].Length > 0 && !scan.InRange(Numbers.TryCount(values[i], out parsed[i]), lineNo, scan.LineText(lineNo), values[i], "value"))
                {
                    return;
                }
            }

            for (var i = 0; i < values.Length; i++)
            {
                // Each value is at most 2^53, so a sum overflows only after 1024 rows of such values: saturate.
                _logSums[i] = _logSums[i] > Numbers.MaxCount - parsed[i] ? Numbers.MaxCount : _logSums[i] + parsed[i];
            }

            if (_logRows++ == 0)
            {
                _firstLogRow = lineNo;
            }
        }

        /// <summary>Turns the summed log rows into the current measurement's rows.</summary>
        public void FinishLog(ScanCollector scan)
        {
            if (Layout is not (KvmStatImporter.Layout.Log or KvmStatImporter.Layout.Csv) || scan.Current is not { } log || _logRows == 0)
            {
                return;
            }

            for (var i = 0; i < LogKeys.Length; i++)
            {
                KvmStatKey.Classify(LogKeys[i]).AddTo(log, _logSums[i], null, _firstLogRow);
            }

            // Each log row is the change over kvm_stat's 1 s logging interval.
            log.IntervalSeconds = _logRows;
            _logRows = 0;
            Layout = null;
        }
    }

    [GeneratedRegex(@"^\s*kvm statistics(?:\s+-\s+.*)?\s*$")]
    private static partial Regex Title();

    [GeneratedRegex(@"^\s*regex filter:\s*(.*)$")]
    private static partial Regex RegexFilter();

    [GeneratedRegex(@"^\s*(?:Event|Guest Name)\s+Total\s+%Total\s+CurAvg/s\s*$")]
    private static partial Regex TuiHeader();

    [GeneratedRegex(@"^\s*Event\s+Total\s+Current\s*$")]
    private static partial Regex DebugfsHeader();

    // ' %-40s %10d%7.1f %8s' (name, total, %Total, CurAvg/s or blank)
    [GeneratedRegex(@"^(?<indent>\s*)(?<name>[A-Za-z_][\w()\-.:]*)\s+(?<total>\d+)\s*(?<pct>\d+\.\d)(?:\s+(?<avg>\d+))?\s*$")]
    private static partial Regex TuiRow();

    [GeneratedRegex(@"^\s*Total\s+\d+(?:\s+\d+)?\s*$")]
    private static partial Regex TuiTotal();

    [GeneratedRegex(@"^(?<indent>\s*)(?<name>[A-Za-z_][\w()\-.:]*)\s+(?<total>\d+)(?:\s+(?<cur>\d+))?\s*$")]
    private static partial Regex DebugfsRow();

    [GeneratedRegex(@"(?<=^|\s)[A-Za-z](?=\s|$)|(?<=\d)[A-Za-z]+(?=\s|$)")]
    private static partial Regex StrayLetter();

    // '%-42s%10d%10d'
    [GeneratedRegex(@"^(?<name>[A-Za-z_][\w()\-.:]*)\s+(?<total>\d+)\s+(?<delta>\d+)\s*$")]
    private static partial Regex BatchRow();

    [GeneratedRegex(@"^[A-Za-z_][\w()\-.:]*(?: [A-Za-z_][\w()\-.:]*)*\s*$")]
    private static partial Regex LogBanner();

    // strftime("%Y-%m-%d %H:%M:%S") + ' %9d' per key
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?<vals>(?:\s+\d+)+)\s*$")]
    private static partial Regex LogRow();

    [GeneratedRegex(@"^timestamp(?:,[^,\s]+)+\s*$")]
    private static partial Regex CsvBanner();

    [GeneratedRegex(@"^(?<vals>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:,\s*\d*)+)\s*$")]
    private static partial Regex CsvRow();
}
