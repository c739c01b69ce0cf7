namespace ExitSim.Engine;

/// <summary>
/// A scheduled event: a plain struct held inline in the queue's array, so scheduling allocates nothing.
/// <see cref="Kind"/> tells the model what happens, <see cref="Target"/> to which entity, and
/// <see cref="Stamp"/> lets the model ignore events it has since superseded (lazy cancellation).
/// </summary>
public readonly record struct Event(double Time, long Sequence, int Kind, int Target, int Stamp);
