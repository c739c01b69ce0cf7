using System.Globalization;
using System.Text;

namespace ExitSim.Reports;

/// <summary>The per-reason table as CSV, one row per reason (exit latency, and perf_* as perf kvm stat measures it), with the run's identity on every row (optimisations joined by '+', as a sweep axis writes them).</summary>
public static class CsvReportFormatter
{
    public static string Format(RunReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var w = new StringBuilder("scenario,optimisations,seed,replications,version,reason,path,category,samples,samples_pct,time_pct,rate_per_second,min_ns,max_ns,avg_ns,stddev_pct,cv_pct,p50_ns,p90_ns,p99_ns,p999_ns,mean_save_ns,mean_handle_ns,mean_wait_ns,mean_emulate_ns,mean_reenter_ns,absorbed,mean_halted_ns,perf_time_pct,perf_min_ns,perf_max_ns,perf_avg_ns,perf_stddev_pct\n");
        foreach (var x in r.Reasons)
        {
            w.Append(string.Join(",", new[]
            {
                Field(r.Scenario), string.Join("+", r.Optimisations), r.Seed.ToString(inv), r.Replications.ToString(inv), r.Version, Field(x.Name), x.Path, x.Category,
                x.Samples.ToString(inv), N(x.SamplesPct), N(x.TimePct), N(x.RatePerSecond), N(x.MinNs), N(x.MaxNs), N(x.AvgNs),
                N(x.StddevPct), N(x.CvPct), N(x.P50Ns), N(x.P90Ns), N(x.P99Ns), N(x.P999Ns),
                N(x.MeanSaveNs), N(x.MeanHandleNs), N(x.MeanWaitNs), N(x.MeanEmulateNs), N(x.MeanReenterNs), x.Absorbed.ToString(inv),
                N(x.MeanHaltedNs), N(x.PerfTimePct), N(x.PerfMinNs), N(x.PerfMaxNs), N(x.PerfAvgNs), N(x.PerfStddevPct),
            })).Append('\n');
        }
        return w.ToString();
    }

    private static string N(double v) => Math.Round(v, 4).ToString("R", CultureInfo.InvariantCulture);

    internal static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
