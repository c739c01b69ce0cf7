using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace ExitSim.Calibration.Importers;

/// <summary>
/// kvm-unit-tests <c>x86/vmexit.flat</c> output (kvm-unit-tests x86/vmexit.c): <c>&lt;test&gt; &lt;cycles&gt;</c> lines, <c>  ipi|eoi &lt;test&gt; &lt;cycles&gt;</c>
/// sub-lines, and tables with several value columns under a label row (e.g. <c>before after</c> in a patch cover letter):
/// one measurement per value column.
/// </summary>
public sealed partial class KvmUnitTestsImporter : IMeasurementImporter
{
    /// <summary>Test names of x86/vmexit.c; only these count towards detection, since "word number" lines are common.</summary>
    private static readonly FrozenSet<string> KnownTests = new[]
    {
        "cpuid", "vmcall", "mov_from_cr8", "mov_to_cr8", "mov_dr", "inl_from_pmtimer", "inl_from_qemu", "inl_from_kernel",
        "outl_to_kernel", "tscdeadline_immed", "tscdeadline", "self_ipi_sti_nop", "self_ipi_sti_hlt", "self_ipi_tpr",
        "self_ipi_tpr_sti_nop", "self_ipi_tpr_sti_hlt", "x2apic_self_ipi_sti_nop", "x2apic_self_ipi_sti_hlt",
        "x2apic_self_ipi_tpr", "x2apic_self_ipi_tpr_sti_nop", "x2apic_self_ipi_tpr_sti_hlt", "ipi", "ipi_halt",
        "ple_round_robin", "ple-round-robin", "wr_kernel_gs_base", "wr_tsx_ctrl_msr", "wr_ibrs_msr", "wr_ibpb_msr",
        "wr_tsc_adjust_msr", "rd_tsc_adjust_msr", "toggle_cr0_wp", "toggle_cr4_pge", "pci-mem", "pci-io",
    }.ToFrozenSet(StringComparer.Ordinal);

    public MeasurementFormat Format => MeasurementFormat.KvmUnitTests;

    public ImportScan Scan(SourceText source, CancellationToken cancel = default)
    {
        var scan = new ScanCollector(source, Format);
        MeasurementBuilder[] columns = [];
        for (var index = 0; index < source.Lines.Count; index++)
        {
            ScanCollector.CheckCancel(index, cancel);
            var line = source.Lines[index];
            var lineNo = index + 1;
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            if (LabelRow().IsMatch(line) && NextRowValueCount(source, index) is { } width
                && line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is var labels && labels.Length == width)
            {
                scan.Recognised();
                columns = labels.Select(label => StartColumn(scan, lineNo, label)).ToArray();
                continue;
            }

            if (ResultRow().Match(line) is { Success: true } row)
            {
                var values = row.Groups["vals"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length == 0)
                {
                    columns = values.Select(_ => StartColumn(scan, lineNo, null)).ToArray();
                }

                if (values.Length == columns.Length)
                {
                    var test = string.Join(' ', row.Groups["test"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    if (KnownTests.Contains(test.Split(' ')[^1]))
                    {
                        scan.Recognised();
                    }

                    for (var i = 0; i < values.Length; i++)
                    {
                        // A cycle count beyond what a year takes at 10 GHz is corrupted input.
                        if (scan.InRange(Numbers.TryDouble(values[i], out var cycles) && cycles <= Numbers.MaxTimeNs * 10, lineNo, line, values[i], "cycles"))
                        {
                            columns[i].UnitTests.Add(new UnitTestCycles { Test = test, Cycles = cycles, SourceLine = lineNo });
                        }
                    }

                    continue;
                }
            }

            scan.Skip(lineNo, line);
        }

        return scan.Finish();
    }

    private static MeasurementBuilder StartColumn(ScanCollector scan, int lineNo, string? label)
    {
        var column = scan.Start(lineNo);
        column.Table = label;
        column.Title = "vmexit.flat cycles per iteration";
        return column;
    }

    /// <summary>Number of values on the next data line, if it is a result row.</summary>
    private static int? NextRowValueCount(SourceText source, int index)
    {
        for (var next = index + 1; next < source.Lines.Count; next++)
        {
            var line = source.Lines[next];
            if (SourceText.IsBlank(line) || SourceText.IsComment(line))
            {
                continue;
            }

            return ResultRow().Match(line) is { Success: true } row
                ? row.Groups["vals"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length
                : null;
        }

        return null;
    }

    [GeneratedRegex(@"^\s*[A-Za-z][\w.\-]*(?:\s+[A-Za-z][\w.\-]*)*\s*$")]
    private static partial Regex LabelRow();

    // printf("%s %d\n", name, cycles) and "  ipi <name> %d" / "  eoi <name> %d" sub-lines.
    [GeneratedRegex(@"^\s*(?<test>(?:(?:ipi|eoi)\s+)?[A-Za-z][\w.\-]*)\s+(?<vals>\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?)*)\s*$")]
    private static partial Regex ResultRow();
}
