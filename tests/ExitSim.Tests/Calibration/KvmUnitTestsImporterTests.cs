using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

namespace ExitSim.Tests.Calibration;

public sealed class KvmUnitTestsImporterTests
{
    [Fact]
    public void Before_after_table_gives_one_measurement_per_column()
    {
        var columns = Fixtures.Import("kvm-unit-tests-vmexit__bonzini-2019-nested-before-after.txt");

        Assert.Equal(["before", "after"], columns.Select(c => c.Table));
        Assert.All(columns, c => Assert.Equal(13, c.UnitTests.Count));
        Assert.All(columns, c => Assert.Empty(c.Reasons));
        Assert.Equal(14886, columns[0].UnitTests.Single(t => t.Test == "cpuid").Cycles);
        Assert.Equal(13142, columns[1].UnitTests.Single(t => t.Test == "cpuid").Cycles);
        Assert.Equal(46747, columns[0].UnitTests.Single(t => t.Test == "inl_from_qemu").Cycles);
        Assert.Equal(44826, columns[1].UnitTests.Single(t => t.Test == "inl_from_qemu").Cycles);
        Assert.Equal(6, columns[0].UnitTests.Single(t => t.Test == "inl_from_qemu").SourceLine);
    }

    [Fact]
    public void Raw_vmexit_output_with_ipi_sub_lines()
    {
        const string text = """
            enabling apic
            cpuid 1018
            vmcall 1559
              ipi self_ipi_sti_nop 3102
            self_ipi_sti_nop 4238
            PASS vmexit

            """;

        var run = Assert.Single(MeasurementImporter.ImportText(text, "vmexit.log"));

        Assert.Equal(MeasurementFormat.KvmUnitTests, run.Format);
        Assert.Null(run.Table);
        Assert.Equal(["cpuid", "vmcall", "ipi self_ipi_sti_nop", "self_ipi_sti_nop"], run.UnitTests.Select(t => t.Test));
        Assert.Equal(3102, run.UnitTests[2].Cycles);
        Assert.Equal([1, 6], run.SkippedLines.Select(s => s.Line));
    }
}
