using System.Collections.Concurrent;
using System.Diagnostics;
using EventHub.Client;
using EventHub.TestSupport;

namespace EventHub.FaultTests;

/// <summary>
/// The SDK through a round-robin TCP balancer in front of two copies on the three-node cluster with quorum queues
/// (docs/adr/0024, docs/scaling.md): a pull listener's events are all handled and each recorded once, while the node both
/// copies are connected to stops and starts again mid-stream. Losing the node closes the channels holding unacknowledged
/// messages, so the broker delivers those again while their first offer may still be in a stream: at least once, and the
/// events handled twice are counted and printed, as are the times, never asserted.
/// </summary>
public sealed class ClusterBalancerTests(PostgresFixture postgres, ITestOutputHelper output)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    const int Batches = 12;
    const int BatchSize = 25;

    [Fact]
    public async Task Should_handle_every_event_and_record_each_once_through_the_balancer_while_the_copies_broker_node_stops_and_starts()
    {
        await using var cluster = await RabbitMqCluster.StartAsync();
        await using var run = await FaultRun.StartOnClusterAsync(cluster, postgres.Cluster, copies: 2);
        await using var balancer = new TcpProxy([.. run.Hosts.Select(h => h.BaseAddress)]);
        await using var client = new EventHubClient(new EventHubClientOptions
        {
            BaseAddress = balancer.Address,
            ApiKey = FaultRun.ApiKey,
            Timeout = TimeSpan.FromSeconds(60),
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
        });
        var calls = new ConcurrentDictionary<string, int>();
        await using var subscription = await client.OnAsync("clustered.order.*", (evt, _) =>
        {
            calls.AddOrUpdate(evt.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }, new ListenOptions { MaxConcurrency = 8 }, Cancel);
        var ids = new List<string>();

        await EmitAsync(client, ids, 0, Batches / 3);
        var stoppedAt = Stopwatch.GetTimestamp();
        await cluster.Nodes[0].StopServerAsync();
        output.WriteLine($"{run.Elapsed.TotalSeconds:F1} s: node 1 of 3 (the copies' first node) stopped after {ids.Count} events emitted, {calls.Count} handled");
        await EmitAsync(client, ids, Batches / 3, 2 * Batches / 3);
        output.WriteLine($"{ids.Count} events emitted through the balancer {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:F1} s after the node stopped");
        await cluster.Nodes[0].StartServerAsync();
        output.WriteLine($"{run.Elapsed.TotalSeconds:F1} s: node 1 started again");
        await EmitAsync(client, ids, 2 * Batches / 3, Batches);

        await Eventually.UntilAsync(() => Task.FromResult(calls.Keys.ToHashSet()), handled => handled.IsSupersetOf(ids), Limit, $"{ids.Count} events handled");
        output.WriteLine($"every event handled {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:F1} s after the node stopped");
        await Eventually.UntilAsync(
            async () => await client.GetTransactionsAsync(subscription.ListenerId, "succeeded", Cancel).CountAsync(Cancel),
            n => n == ids.Count,
            Limit,
            $"{ids.Count} succeeded transactions");
        var twice = calls.Where(c => c.Value > 1).ToList();
        output.WriteLine($"handled more than once: {twice.Count}; connections per copy: {string.Join(", ", balancer.ConnectionsPerTarget)}");
        Assert.Equal(ids.Order(StringComparer.Ordinal), calls.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Emits batches [from, to) through the balancer; the SDK retries what a copy refuses while it fails over.</summary>
    static async Task EmitAsync(EventHubClient client, List<string> ids, int from, int to)
    {
        for (var batch = from; batch < to; batch++)
            ids.AddRange(await client.EmitAsync(Enumerable.Range(batch * BatchSize, BatchSize).Select(i => new EmitEvent("clustered.order.placed", new { i })), Cancel));
    }
}
