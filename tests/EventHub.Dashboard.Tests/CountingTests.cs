using System.Diagnostics.Metrics;
using EventHub.Contracts;
using EventHub.Dashboard.Auth0;
using EventHub.Dashboard.Live;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Dashboard.Tests;

/// <summary>The in-memory parts behind the live page and the Auth0 page, on a fake clock.</summary>
public sealed class CountingTests
{
    [Fact]
    public void Auth0_entries_are_counted_per_minute_for_an_hour_then_forgotten()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 30, TimeSpan.Zero));
        using var activity = new Auth0Activity(time);
        activity.Received(1, null);
        activity.Received(1, "missing_type");
        time.Advance(TimeSpan.FromMinutes(2));
        activity.Received(1, null);

        var snapshot = activity.Snapshot();
        Assert.Equal(3, snapshot.Total);
        Assert.Equal(1, snapshot.PerMinute[^1]);
        Assert.Equal(2, snapshot.PerMinute[^3]);
        Assert.Equal(time.GetUtcNow(), snapshot.LastReceivedAt);
        Assert.Equal(new KeyValuePair<string, long>("missing_type", 1), Assert.Single(snapshot.UnrecognizedByReason));

        time.Advance(TimeSpan.FromMinutes(Auth0Activity.Minutes));
        Assert.All(activity.Snapshot().PerMinute, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Accepted_entries_and_unrecognized_reasons_are_read_from_the_auth0_meter()
    {
        using var activity = new Auth0Activity(TimeProvider.System);
        using var meter = new Meter("EventHub.Auth0");
        var entries = meter.CreateCounter<long>("eventhub.auth0.entries");
        entries.Add(98, new KeyValuePair<string, object?>("outcome", "typed"));
        entries.Add(1, new KeyValuePair<string, object?>("outcome", "unrecognized"), new KeyValuePair<string, object?>("reason", "missing_type"));
        entries.Add(1, new KeyValuePair<string, object?>("outcome", "unrecognized"), new KeyValuePair<string, object?>("reason", "missing_type"));
        meter.CreateCounter<long>("eventhub.auth0.batches.rejected").Add(1, new KeyValuePair<string, object?>("reason", "unauthorized"));

        var snapshot = activity.Snapshot();
        Assert.Equal(100, snapshot.Total);
        Assert.NotNull(snapshot.LastReceivedAt);
        Assert.Equal(new KeyValuePair<string, long>("missing_type", 2), Assert.Single(snapshot.UnrecognizedByReason));
    }

    [Fact]
    public void Refused_log_stream_requests_are_read_from_the_auth0_meter_by_reason()
    {
        using var activity = new Auth0Activity(TimeProvider.System);
        using var meter = new Meter("EventHub.Auth0");
        var rejected = meter.CreateCounter<long>("eventhub.auth0.batches.rejected");
        rejected.Add(1, new KeyValuePair<string, object?>("reason", "unauthorized"));
        rejected.Add(1, new KeyValuePair<string, object?>("reason", "unauthorized"));
        rejected.Add(1, new KeyValuePair<string, object?>("reason", "unparseable"));
        meter.CreateCounter<long>("eventhub.auth0.entries").Add(5);

        Assert.Equal(
            [new("unauthorized", 2), new("unparseable", 1)],
            activity.Snapshot().RejectedByReason);
    }

    [Fact]
    public async Task The_live_feed_keeps_the_latest_and_a_slow_watcher_loses_its_oldest()
    {
        var feed = new LiveFeed();
        using var watcher = feed.Watch();
        for (var i = 0; i < 1000; i++)
            feed.Publish(Event(i, i % 2 == 0 ? "order.placed" : "user.created"));

        var recent = feed.Recent(new LiveFilter(TopicPattern.Parse("order.*"), null), 3);
        Assert.Equal(["998", "996", "994"], recent.Select(e => e.Id));
        Assert.Equal(LiveFeed.Kept / 2, feed.Recent(new LiveFilter(TopicPattern.Parse("order.#"), null), 1000).Count);

        var first = await watcher.Events.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("500", first.Id);
        watcher.Dispose();
        Assert.Equal(0, feed.Watchers);
    }

    static LiveEvent Event(int i, string name) =>
        new(i.ToString(System.Globalization.CultureInfo.InvariantCulture), name, "ops", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "{}");
}
