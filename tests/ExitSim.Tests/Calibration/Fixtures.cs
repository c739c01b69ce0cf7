using ExitSim.Calibration;
using ExitSim.Calibration.Importers;

namespace ExitSim.Tests.Calibration;

/// <summary>The measurement fixtures copied next to the test assembly (tests/fixtures, see the test csproj).</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static IReadOnlyList<Measurement> Import(string name, MeasurementFormat? format = null) =>
        MeasurementImporter.Import(PathOf(name), format);

    /// <summary>Every fixture, as a path relative to the fixtures folder with '/' separators (real-host-nested-pvm/…).</summary>
    public static IEnumerable<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.txt", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal);

    public static ReasonMeasurement Reason(this Measurement measurement, string name) =>
        measurement.Reasons.Single(r => r.Name == name);
}
