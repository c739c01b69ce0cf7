using System.Globalization;
using System.Text;

namespace ExitSim.Reports;

/// <summary>The per-reason table as CSV, one row per reason, with the run's identity on every row (optimisations joined by '+', as a sweep axis writes them).</summary>
public static class CsvReportFormatter
{
    public static string Format(RunReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var w = new StringBuilder("scenario,optimisations,seed,replications,version,reason,path,category,samples,samples_pct,time_pct,rate_per_second,min_ns,max_ns,avg_ns,stddev_pct,cv_pct,p50_ns,p90_ns,p99_ns,p999_ns,mean_save_ns,mean_handle_ns,mean_wait_ns,mean_emulate_ns,mean_reenter_ns,absorbed\n");
        foreach (var x in r.Reasons)
        {
            w.Append(string.Join(",", new[]
            {
                Field(r.Scenario), string.Join("+", r.Optimisations), r.Seed.ToString(inv), r.Replications.ToString(inv), r.Version, Field(x.Name), x.Path, x.Category,
                x.Samples.ToString(inv), N(x.SamplesPct), N(x.TimePct), N(x.RatePerSecond), N(x.MinNs), N(x.MaxNs), N(x.AvgNs),
                N(x.StddevPct), N(x.CvPct), N(x.P50Ns), N(x.P90Ns), N(x.P99Ns), N(x.P999Ns),
                N(x.MeanSaveNs), N(x.MeanHandleNs), N(x.MeanWaitNs), N(x.MeanEmulateNs), N(x.MeanReenterNs), x.Absorbed.ToString(inv),
            })).Append('\n');
        }
        return w.ToString();
    }

    private static string N(double v) => Math.Round(v, 4).ToString("R", CultureInfo.InvariantCulture);

    internal static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
