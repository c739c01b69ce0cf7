using System.Globalization;

namespace ExitSim.Units;

/// <summary>
/// A number as the user wrote it: a time in nanoseconds, a time in host cycles (converted with the
/// host's GHz only when the model is built, so a sweep over GHz rescales cycle costs), or a plain count.
/// </summary>
public readonly record struct Quantity(double Value, QuantityUnit Unit)
{
    public static Quantity Ns(double ns) => new(ns, QuantityUnit.Nanoseconds);
    public static Quantity Cycles(double cycles) => new(cycles, QuantityUnit.Cycles);
    public static Quantity Count(double n) => new(n, QuantityUnit.Count);

    /// <summary>Nanoseconds (or the plain count), converting cycles at <paramref name="ghz"/> cycles per ns.</summary>
    public double Resolve(double ghz) => Unit == QuantityUnit.Cycles ? Value / ghz : Value;

    public override string ToString() => Unit switch
    {
        QuantityUnit.Cycles => UnitFormat.Number(Value) + "cyc",
        QuantityUnit.Count => UnitFormat.Number(Value),
        _ => UnitFormat.TimeExact(Value),
    };
}

public enum QuantityUnit : byte { Nanoseconds, Cycles, Count }
