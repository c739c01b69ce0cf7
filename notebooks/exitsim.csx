// Set-up shared by the notebooks (#load "exitsim.csx" in each first cell). `dotnet build` puts the
// library in artifacts/notebook-lib/ whatever the configuration (Debug or Release), with the native
// SkiaSharp libraries the charts need. Two helpers show results inline: Show(chart) as an image,
// Table(header, rows) as a table.
#r "../artifacts/notebook-lib/ExitSim.Core.dll"
#r "../artifacts/notebook-lib/YamlDotNet.dll"
#r "../artifacts/notebook-lib/MathNet.Numerics.dll"
#r "../artifacts/notebook-lib/SkiaSharp.dll"
#r "../artifacts/notebook-lib/HarfBuzzSharp.dll"
#r "../artifacts/notebook-lib/SkiaSharp.HarfBuzz.dll"
#r "../artifacts/notebook-lib/ScottPlot.dll"
#r "../artifacts/notebook-lib/ExitSim.Plots.dll"
using System.Net;
using Microsoft.DotNet.Interactive;

/// <summary>Shows a chart in the notebook as a PNG image (what Jupyter, VS Code and GitHub all display).</summary>
void Show(ExitSim.Plots.Chart chart) => Convert.ToBase64String(chart.ToPng()).DisplayAs("image/png");

/// <summary>Shows rows as a table, numbers right-aligned (cells as given: format numbers before).</summary>
void Table(string[] header, IEnumerable<object[]> rows)
{
    static bool Numeric(string s) => s.Length > 0 && (char.IsDigit(s[0]) || ((s[0] is '-' or '+' or '−') && s.Length > 1 && char.IsDigit(s[1])));
    var html = new System.Text.StringBuilder("<table><thead><tr>");
    foreach (var h in header) html.Append($"<th>{WebUtility.HtmlEncode(h)}</th>");
    html.Append("</tr></thead><tbody>");
    foreach (var row in rows)
    {
        html.Append("<tr>");
        foreach (var cell in row)
        {
            string text = Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            html.Append(Numeric(text) ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">").Append(WebUtility.HtmlEncode(text)).Append("</td>");
        }
        html.Append("</tr>");
    }
    html.Append("</tbody></table>").ToString().DisplayAs("text/html");
}
