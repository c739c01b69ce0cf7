namespace ExitSim.Evidence;

/// <summary>Where a published figure comes from: the publication's title, venue or mailing list, date, and the table in it.</summary>
public sealed record CaseSource(string Title, string Venue, string Date, string? Table);
