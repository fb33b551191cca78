using EventHub.Security.Detection;

namespace EventHub.Security.Tests;

/// <summary>The sliding window and episodes behind the burst detections, as plain code.</summary>
public sealed class BurstTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    static readonly BurstRule Rule = new(5, TimeSpan.FromMinutes(5));

    static Attempt At(int seconds, string? subject = null, string? logId = null)
    {
        var id = logId ?? $"log-{seconds}-{subject}";
        return new(id, T0.AddSeconds(seconds), subject ?? id, "203.0.113.7", "f");
    }

    static string Id(int episode, Attempt trigger) => $"{episode}:{trigger.LogId}";

    [Fact]
    public void Should_find_the_earliest_window_spanning_at_most_the_window()
    {
        List<Attempt> sorted = [At(0), At(100), At(200), At(290), At(300), At(301), At(400)];

        var window = Burst.FindWindow(sorted, Rule);

        Assert.Equal([0, 100, 200, 290, 300], window!.Select(a => (int)(a.At - T0).TotalSeconds));
        Assert.Null(Burst.FindWindow([At(0), At(100), At(200), At(290), At(301)], Rule));
    }

    [Fact]
    public void Should_count_distinct_subjects_when_asked_to()
    {
        List<Attempt> sameUser = [.. Enumerable.Range(0, 10).Select(i => At(i, "alice"))];
        List<Attempt> fiveUsers = [.. Enumerable.Range(0, 5).Select(i => At(i, $"user-{i}"))];

        Assert.Null(Burst.FindWindow(sameUser, Rule));
        Assert.NotNull(Burst.FindWindow(fiveUsers, Rule));
    }

    [Fact]
    public void Should_raise_one_alert_for_every_arrival_order_of_entries_within_the_late_tolerance()
    {
        Attempt[] sparse = [.. Enumerable.Range(0, 4).Select(i => At(i * 100))];
        Attempt[] burst = [.. Enumerable.Range(0, 5).Select(i => At(450 + i * 20))];
        Attempt[] attempts = [.. sparse, .. burst];
        var random = new Random(7);
        var orders = new[] { attempts, attempts.Reverse().ToArray() }.Concat(Enumerable.Range(0, 20).Select(_ => attempts.OrderBy(_ => random.Next()).ToArray()));

        var results = orders.Select(order =>
        {
            var state = new Burst();
            return order.Select(a => state.Record(a, Rule, Id)).OfType<BurstAlert>().Count();
        }).ToList();

        Assert.All(results, count => Assert.Equal(1, count));
        Assert.Null(new Burst().Record(sparse[0], Rule, Id));
    }

    [Fact]
    public void Should_raise_the_stored_alert_again_only_for_its_redelivered_trigger()
    {
        var burst = new Burst();
        var attempts = Enumerable.Range(0, 5).Select(i => At(i)).ToList();
        var alert = attempts.Select(a => burst.Record(a, Rule, Id)).OfType<BurstAlert>().Single();

        Assert.Null(burst.Record(attempts[4], Rule, Id));
        Assert.Null(burst.Record(attempts[1], Rule, Id, redelivered: true));
        Assert.Same(alert, burst.Record(attempts[4], Rule, Id, redelivered: true));
    }

    [Fact]
    public void Should_keep_an_alert_that_reaches_past_a_late_success_and_end_one_that_does_not()
    {
        var spanning = new Burst();
        foreach (var attempt in Enumerable.Range(0, 5).Select(i => At(i * 10)))
            spanning.Record(attempt, Rule, Id);
        Assert.Null(spanning.Reset(T0.AddSeconds(15), Rule, Id));
        Assert.NotNull(spanning.Alert);

        var before = new Burst();
        foreach (var attempt in Enumerable.Range(0, 5).Select(i => At(i * 10)))
            before.Record(attempt, Rule, Id);
        before.Reset(T0.AddSeconds(45), Rule, Id);
        Assert.Null(before.Alert);
        Assert.Equal(1, before.Episode);
        Assert.Null(before.Record(At(30, logId: "late-before-success"), Rule, Id));
        Assert.Empty(before.Attempts);
    }

    [Fact]
    public void Should_ignore_entries_more_than_a_window_older_than_the_newest()
    {
        var burst = new Burst();
        burst.Record(At(1000), Rule, Id);

        burst.Record(At(1000 - 601), Rule, Id);
        burst.Record(At(1000 - 599), Rule, Id);

        Assert.Equal([401, 1000], burst.Attempts.Select(a => (int)(a.At - T0).TotalSeconds));
    }

    [Fact]
    public void Should_keep_a_few_attempts_per_value_however_often_it_repeats_within_the_window()
    {
        var burst = new Burst();
        for (var i = 0; i < 1_000; i++)
            burst.Record(At(i % 7 * 30, $"ip-{i % 3}", $"log-{i}"), Rule, Id);

        Assert.Null(burst.Alert);
        Assert.All(burst.Attempts.GroupBy(a => a.Subject), subject => Assert.InRange(subject.Count(), 1, 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Should_alert_on_the_same_attempt_as_a_window_over_every_attempt_kept(int seed)
    {
        var random = new Random(seed);
        var rule = new BurstRule(5, TimeSpan.FromMinutes(5));
        var burst = new Burst();
        var every = new List<Attempt>();
        int? alerted = null, expected = null;
        for (var i = 0; i < 300 && alerted is null; i++)
        {
            // Dates within one and a half windows (none too old to count), unordered; two values repeat, five are rare.
            var user = random.Next(100) < 95 ? random.Next(2) : 2 + random.Next(5);
            var attempt = At(random.Next(0, 450), $"user-{user}", $"log-{i}");
            every.Add(attempt);
            if (burst.Record(attempt, rule, Id) is not null)
                alerted = i;
            if (expected is null && Burst.FindWindow([.. every.OrderBy(a => a.At)], rule) is not null)
                expected = i;
        }

        Assert.NotNull(expected);
        Assert.Equal(expected, alerted);
    }
}
