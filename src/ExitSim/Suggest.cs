namespace ExitSim;

/// <summary>"Did you mean …?" for names a user mistyped: the closest candidate by edit distance.</summary>
public static class Suggest
{
    public static string? Closest(string word, IEnumerable<string> candidates, int maxDistance = -1)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string w = word.ToUpperInvariant();
        int limit = maxDistance >= 0 ? maxDistance : Math.Max(2, word.Length / 3);
        foreach (var c in candidates)
        {
            // The distance is at least the difference in length: skip the quadratic work for what cannot be near.
            if (Math.Abs(w.Length - c.Length) > limit) continue;
            int d = Distance(w, c.ToUpperInvariant());
            if (d < bestDistance) { bestDistance = d; best = c; }
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Levenshtein distance with transpositions counted as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
