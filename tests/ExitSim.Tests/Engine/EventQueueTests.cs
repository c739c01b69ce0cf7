using ExitSim.Engine;

namespace ExitSim.Tests.Engine;

public class EventQueueTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Dequeues_in_time_order_with_ties_in_insertion_order(byte[] times)
    {
        var q = new EventQueue(capacity: 4);
        for (int i = 0; i < times.Length; i++) q.Schedule(times[i] % 16, kind: 0, target: i);
        var expected = times.Select((t, i) => (Time: (double)(t % 16), Index: i)).OrderBy(x => x.Time).ThenBy(x => x.Index).ToArray();
        foreach (var x in expected)
        {
            var e = q.Dequeue();
            if (e.Time != x.Time || e.Target != x.Index) return false;
        }
        return q.Count == 0;
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Take_then_schedule_gives_the_same_order_as_dequeue_then_schedule(byte[] times, byte[] plan)
    {
        // Two queues driven by the same script: one with Dequeue, one with Take (root slot reuse).
        var a = new EventQueue(4);
        var b = new EventQueue(4);
        foreach (var t in times) { a.Schedule(t % 32, 0, t); b.Schedule(t % 32, 0, t); }
        var seenA = new List<(double, int)>();
        var seenB = new List<(double, int)>();
        int step = 0;
        while (a.Count > 0)
        {
            if (b.Count != a.Count) return false;
            var x = a.Dequeue();
            var y = b.Take();
            seenA.Add((x.Time, x.Target));
            seenB.Add((y.Time, y.Target));
            int k = plan.Length == 0 ? 0 : plan[step++ % plan.Length] % 3;
            if (step > 500) k = 0;
            for (int j = 0; j < k; j++)
            {
                a.Schedule(x.Time + j + 1, 0, step * 10 + j);
                b.Schedule(y.Time + j + 1, 0, step * 10 + j);
            }
        }
        return b.Count == 0 && seenA.SequenceEqual(seenB);
    }

    [Fact]
    public void Interleaved_schedule_and_dequeue_keep_order()
    {
        var q = new EventQueue();
        var rng = new Random(5);
        double last = 0;
        q.Schedule(0, 0, 0);
        for (int i = 0; i < 100_000; i++)
        {
            var e = q.Dequeue();
            Assert.True(e.Time >= last);
            last = e.Time;
            int k = rng.Next(3);
            for (int j = 0; j < k || q.Count == 0; j++) q.Schedule(last + rng.NextDouble(), 0, i);
        }
    }
}
