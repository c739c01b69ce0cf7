using System.Collections;

namespace ExitSim;

/// <summary>
/// An immutable list with value equality, so records that hold lists compare by content
/// (scenarios must round-trip through YAML losslessly, and that is checked with ==).
/// </summary>
public sealed class EquatableArray<T> : IReadOnlyList<T>, IEquatable<EquatableArray<T>>
{
    private readonly T[] _items;

    public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    public static EquatableArray<T> Empty { get; } = new(Array.Empty<T>());

    public T this[int index] => _items[index];
    public int Count => _items.Length;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(EquatableArray<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);
    public override bool Equals(object? obj) => Equals(obj as EquatableArray<T>);
    public static bool operator ==(EquatableArray<T>? a, EquatableArray<T>? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(EquatableArray<T>? a, EquatableArray<T>? b) => !(a == b);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items) h.Add(item);
        return h.ToHashCode();
    }
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

public static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items);
}
