using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static EventHub.Security.Tests.Entries;

namespace EventHub.Security.Tests;

/// <summary>
/// The rules consumer runs two batches side by side, so that one is counted while the other's alerts wait for the
/// broker; the counting itself is one batch at a time per host copy (CorrelationTracker).
/// </summary>
public sealed class CountingOneBatchAtATimeTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    SecurityHarness _hub = null!;

    public async ValueTask InitializeAsync() => _hub = await SecurityHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Should_let_a_second_batch_count_only_once_the_first_has_finished_counting()
    {
        var tracker = _hub.Services.GetRequiredService<CorrelationTracker>();

        var first = await tracker.OneBatchAtATimeAsync(Cancel);
        var second = tracker.OneBatchAtATimeAsync(Cancel);
        Assert.False(second.IsCompleted);
        first.Dispose();
        // A second dispose of the same batch's turn must not let two other batches in at once.
        first.Dispose();
        var secondTurn = await second.WaitAsync(Eventually.DefaultLimit, Cancel);
        var third = tracker.OneBatchAtATimeAsync(Cancel);
        Assert.False(third.IsCompleted);

        secondTurn.Dispose();
        (await third.WaitAsync(Eventually.DefaultLimit, Cancel)).Dispose();
    }

    [Fact]
    public async Task Should_count_one_account_once_across_batch_messages_handled_side_by_side()
    {
        Auth0LogEntry[] failures = [.. Enumerable.Range(0, 12).Select(i => Failure(T0 + TimeSpan.FromSeconds(10 * i), "auth0|alice", "203.0.113.7", "f"))];

        await Task.WhenAll(failures.Chunk(3).Select(chunk => _hub.PublishAndWaitAsync(HubEventBatch.Of(chunk))));

        var alert = Assert.Single(await _hub.AlertsAsync(SecurityAlerts.BruteForce));
        Assert.Equal(10, JsonNode.Parse(alert.Payload)!["count"]!.GetValue<int>());
    }
}
