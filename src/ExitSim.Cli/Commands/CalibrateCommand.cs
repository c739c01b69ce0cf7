using System.CommandLine;
using System.Globalization;
using ExitSim.Calibration;
using ExitSim.Calibration.Importers;
using ExitSim.Scenarios;
using ExitSim.Units;

namespace ExitSim.Cli.Commands;

/// <summary>
/// <c>exitsim calibrate INPUT... -o scenario.yaml</c>: read what perf kvm stat, kvm_stat, ftrace/trace-cmd
/// or bcc kvmexit measured, fit per-reason costs and rates, and write a runnable scenario.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create(CliContext ctx)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Measurement files (format detected automatically)", Arity = ArgumentArity.OneOrMore };
        var output = CliOptions.OutFile("Scenario YAML to write", required: true);
        var interval = new Option<string?>("--interval") { Description = "Recording window, e.g. 10s (default: what the file states; a trace's first to last event)" };
        var vcpus = new Option<string?>("--vcpus") { Description = "vCPUs of the measured VM (default: the vCPU threads a trace shows, else 1)" };
        var ghz = new Option<string?>("--ghz") { Description = "Host clock in GHz (default: assumed 2.0)" };
        var format = new Option<string?>("--input-format", "--format") { Description = $"Input format instead of detection (--format is kept as an alias): {string.Join(", ", MeasurementFormatNames.All)}" };
        var name = new Option<string?>("--name") { Description = "Scenario name (default: the output file's name)" };
        var cmd = new Command("calibrate", "Fit a scenario to measurements from perf kvm stat, kvm_stat, ftrace/trace-cmd or bcc kvmexit")
        {
            inputs, output, interval, vcpus, ghz, format, name,
        };
        cmd.SetAction(pr =>
        {
            string outPath = pr.GetValue(output)!;
            var options = new CalibrationOptions
            {
                Name = pr.GetValue(name) ?? Path.GetFileNameWithoutExtension(outPath),
                IntervalSeconds = CliOptions.Duration(pr.GetValue(interval), "--interval") / 1e9,
                Vcpus = CliOptions.Count(pr.GetValue(vcpus), "--vcpus", 1),
                Ghz = Ghz(pr.GetValue(ghz)),
            };
            string? formatName = pr.GetValue(format);
            if (formatName is not null && !MeasurementFormatNames.TryParse(formatName, out _))
                throw new UsageException($"--input-format: unknown format '{formatName}' (use {string.Join(", ", MeasurementFormatNames.All)})");

            var chosen = new List<Measurement>();
            foreach (var file in pr.GetValue(inputs)!)
            {
                var all = formatName is null ? MeasurementImporter.Import(file, cancel: ctx.Cancel) : MeasurementImporter.Import(file, formatName, ctx.Cancel);
                var m = ScenarioCalibrator.Choose(all)
                        ?? throw new CalibrationInputException(file, 1, 1, "no exit-reason table in this file (it has counters or per-port tables only)");
                if (all.Count > 1)
                    ctx.Error.WriteLine($"{file}: {all.Count} reports; using the {m.Format.Name()} {m.Table ?? "table"} starting at line {m.StartLine}");
                chosen.Add(m);
            }
            var result = ScenarioCalibrator.Calibrate(chosen, options, ctx.Cancel);
            string yaml = "# Written by exitsim calibrate: every fitted number says where it came from (see docs/calibration.md).\n" +
                          ScenarioWriter.Write(result.Scenario, key => result.Annotations.GetValueOrDefault(key));
            ScenarioLoader.Parse(yaml, outPath); // what we write must pass validate
            ctx.Cancel.ThrowIfCancellationRequested(); // Ctrl-C: nothing is written
            AtomicFiles.WriteFile(outPath, yaml);
            Print(ctx.Out, result, outPath);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static double? Ghz(string? text)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)) return v;
        throw new UsageException($"--ghz: expected a clock in GHz such as 2.0, got '{text}'");
    }

    private static void Print(TextWriter w, CalibrationResult r, string outPath)
    {
        w.WriteLine($"{"reason",-22} {"path",-9} {"samples",10} {"rate",10} {"clock",6}  {"family",-11} {"KS",6}  parameters");
        foreach (var x in r.Rows)
            w.WriteLine($"{x.Reason,-22} {x.Path,-9} {x.Samples,10} {(x.RatePerSecond is { } rate ? UnitFormat.Rate(rate) : "-"),10} {x.Clock,6}  {x.Family,-11} {(x.Ks is { } ks ? ks.ToString("0.000", CultureInfo.InvariantCulture) : "-"),6}  {x.Parameters}");
        foreach (var x in r.Rows.Where(x => x.Note is not null)) w.WriteLine($"note: {x.Reason} ({x.Path}): {x.Note}");
        foreach (var n in r.Notes) w.WriteLine($"note: {n}");
        w.WriteLine($"wrote {outPath} (check it with: exitsim validate {outPath}; run it with: exitsim run {outPath})");
    }
}
