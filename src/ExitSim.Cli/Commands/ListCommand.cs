using System.CommandLine;
using ExitSim.Model;
using ExitSim.Optimisations;

namespace ExitSim.Cli.Commands;

/// <summary><c>exitsim list reasons</c>: the exit reasons scenarios may use, as the kernel spells them.</summary>
public static class ListCommand
{
    public static Command Create(CliContext ctx)
    {
        var vendor = new Option<string>("--vendor") { Description = "intel (VMX names) or amd (SVM names); default both", DefaultValueFactory = _ => "all" };
        var reasons = new Command("reasons", "Exit reasons by vendor, with the path KVM usually takes") { vendor };
        reasons.SetAction(pr =>
        {
            string v = pr.GetValue(vendor)!.ToLowerInvariant();
            if (v is not ("all" or "intel" or "amd")) throw new UsageException($"--vendor: expected intel or amd, got '{v}'");
            if (v is "all" or "intel") Print(ctx.Out, "intel (VMX, arch/x86/include/uapi/asm/vmx.h)", ExitReasonCatalog.Vmx, hex: false);
            if (v == "all") ctx.Out.WriteLine();
            if (v is "all" or "amd") Print(ctx.Out, "amd (SVM, arch/x86/include/uapi/asm/svm.h)", ExitReasonCatalog.Svm, hex: true);
            return ExitCodes.Ok;
        });
        var optimisations = new Command("optimisations", "Optimisation plug-ins for --with and optimisations:, with the mechanism each changes");
        optimisations.SetAction(pr =>
        {
            foreach (var o in OptimisationCatalog.All)
            {
                ctx.Out.WriteLine($"{o.Name}{(o.Vendor is { } v ? $" ({v.ToString().ToLowerInvariant()} only)" : "")}: {o.Description}");
                ctx.Out.WriteLine($"    mechanism: {o.Mechanism}");
                ctx.Out.WriteLine($"    source:    {o.Source}");
            }
            return ExitCodes.Ok;
        });
        return new Command("list", "List what scenarios can refer to") { reasons, optimisations };
    }

    private static void Print(TextWriter w, string title, IReadOnlyList<ExitReason> list, bool hex)
    {
        w.WriteLine(title);
        w.WriteLine($"{"code",6}  {"name",-26} {"path",-9} {"category",-11} handling");
        foreach (var r in list)
            w.WriteLine($"{(hex ? $"0x{r.Code:x3}" : r.Code.ToString()),6}  {r.Name,-26} {(r.TypicalPath == ExitPath.Kernel ? "kernel" : "userspace"),-9} {r.Category.ToString().ToLowerInvariant(),-11} {r.Handling}");
    }
}
