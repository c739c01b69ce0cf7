using ExitSim.Simulation.Host;

namespace ExitSim.Tests.Simulation;

/// <summary>
/// The host scheduler's set of waiting threads: against a sorted set, over random adds, removes and clears, at
/// capacities with one, two and three summary levels, "the first member at or after i" must always agree.
/// </summary>
public class IndexSetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(4097)]
    [InlineData(300_000)]
    public void Agrees_with_a_sorted_set(int capacity)
    {
        var set = new IndexSet(capacity);
        var reference = new SortedSet<int>();
        var random = new Random(capacity);
        for (int step = 0; step < 20_000; step++)
        {
            // Clustered indices exercise shared words; spread ones exercise the summary levels.
            int i = random.Next(4) == 0 ? random.Next(Math.Min(capacity, 130)) : random.Next(capacity);
            switch (random.Next(10))
            {
                case < 5:
                    set.Add(i);
                    reference.Add(i);
                    break;
                case < 9:
                    set.Remove(i);
                    reference.Remove(i);
                    break;
                default:
                    if (random.Next(50) == 0)
                    {
                        set.Clear();
                        reference.Clear();
                    }
                    break;
            }
            Assert.Equal(reference.Contains(i), set.Contains(i));
            int from = random.Next(capacity + 1);
            var after = reference.GetViewBetween(Math.Min(from, capacity - 1), capacity - 1);
            int expected = from < capacity && after.Count > 0 ? after.Min : -1;
            Assert.Equal(expected, set.Next(from));
        }
        // Walking with Next visits every member in order.
        var walked = new List<int>();
        for (int i = set.Next(0); i >= 0; i = set.Next(i + 1)) walked.Add(i);
        Assert.Equal(reference, walked);
    }

    [Fact]
    public void The_last_index_and_past_the_end()
    {
        var set = new IndexSet(4096 * 64 + 1);
        int last = 4096 * 64;
        Assert.Equal(-1, set.Next(0));
        set.Add(last);
        Assert.Equal(last, set.Next(0));
        Assert.Equal(last, set.Next(last));
        Assert.Equal(-1, set.Next(last + 1));
        set.Remove(last);
        Assert.Equal(-1, set.Next(0));
    }
}
