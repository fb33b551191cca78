using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>
/// Two host copies on one RabbitMQ node and one PostgreSQL database behind a round-robin TCP balancer with no affinity,
/// the SDK and webhooks going through it as a user's would (docs/adr/0024, docs/scaling.md).
/// </summary>
public sealed class BalancerTests(BrokerFixture broker, PostgresFixture postgres, ITestOutputHelper output)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    const int Events = 300;

    [Fact]
    public async Task Should_handle_every_event_exactly_once_when_acknowledgements_land_on_either_copy()
    {
        await using var copies = await Copies.StartAsync(broker.Node, postgres.Cluster);
        await using var client = Hubs.Client(copies.Balancer.Address, timeout: TimeSpan.FromSeconds(60));
        var calls = new ConcurrentDictionary<string, int>();
        await using var subscription = await client.OnAsync("balanced.order.*", (evt, _) =>
        {
            calls.AddOrUpdate(evt.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }, new ListenOptions { MaxConcurrency = 8 }, Cancel);

        var cpuBefore = copies.Cpu();

        var ids = await EmitAsync(client, "balanced.order.placed");

        await Eventually.UntilAsync(() => Task.FromResult(calls.Count), n => n == Events, Limit, $"{Events} events handled");
        // Settled in the database: nothing is left to redeliver, so a second call could only have happened already.
        await SucceededAsync(client, subscription.ListenerId, ids);
        // For docs/scaling.md: both copies' CPU for an emitted event streamed and acknowledged (polling included).
        output.WriteLine($"host CPU per event, both copies: {(copies.Cpu() - cpuBefore).TotalMilliseconds * 1000 / Events:F0} µs");
        Assert.Equal(ids.Order(StringComparer.Ordinal), calls.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(calls, c => c.Value != 1);
        Assert.All(copies.Balancer.ConnectionsPerTarget, connections => Assert.True(connections > 0, "the balancer sent connections to both copies"));
        output.WriteLine($"connections per copy: {string.Join(", ", copies.Balancer.ConnectionsPerTarget)}");
    }

    [Fact]
    public async Task Should_hand_a_killed_copys_events_to_the_other_copy_when_the_sdk_reconnects_through_the_balancer()
    {
        await using var copies = await Copies.StartAsync(broker.Node, postgres.Cluster);
        await using var client = Hubs.Client(copies.Balancer.Address, timeout: TimeSpan.FromSeconds(60));
        var calls = new ConcurrentDictionary<string, int>();
        var held = new ConcurrentDictionary<string, bool>();
        var again = new ConcurrentDictionary<string, long>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int Held = 4;
        var hanging = 0;
        await using var subscription = await client.OnAsync("killed.order.*", async (evt, _) =>
        {
            var call = calls.AddOrUpdate(evt.Id, 1, (_, n) => n + 1);
            if (call > 1)
            {
                again.TryAdd(evt.Id, Stopwatch.GetTimestamp());
                return;
            }

            // From the hundredth event on, four handlers hang until the holding copy is dead: its events in flight. The
            // other four slots stay free for what the other copy sends after the reconnect.
            if (calls.Count >= 100 && Interlocked.Increment(ref hanging) <= Held)
            {
                held[evt.Id] = true;
                await release.Task;
            }
        }, new ListenOptions { MaxConcurrency = 2 * Held }, Cancel);

        var ids = await EmitAsync(client, "killed.order.placed");
        await Eventually.UntilAsync(() => Task.FromResult(held.Count), n => n == Held, Limit, "four events held by hanging handlers");
        var holder = copies.Hosts.Single(h => h.Output.Contains($"Pull stream opened for listener {subscription.ListenerId}", StringComparison.Ordinal));
        var killedAt = Stopwatch.GetTimestamp();
        await holder.KillAsync();

        var survivor = copies.Hosts.Single(h => h != holder);
        await survivor.WaitForOutputAsync($"Pull stream opened for listener {subscription.ListenerId}").WaitAsync(Limit, Cancel);
        output.WriteLine($"the SDK's stream reopened on the other copy {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s after the SIGKILL");
        await Eventually.UntilAsync(() => Task.FromResult(held.Keys.All(again.ContainsKey)), all => all, Limit, "the killed copy's events handled again");
        var seconds = held.Keys.Select(id => Stopwatch.GetElapsedTime(killedAt, again[id]).TotalSeconds).ToList();
        output.WriteLine($"the killed copy's {held.Count} events in flight were handled again {seconds.Min():F1} to {seconds.Max():F1} s after the SIGKILL");
        release.SetResult();

        // Pull retries the killed copy had claimed come back when their database lease ends (seconds, docs/adr/0024).
        await SucceededAsync(client, subscription.ListenerId, ids);
        output.WriteLine($"every event handled {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s after the SIGKILL");
        Assert.Equal(ids.Order(StringComparer.Ordinal), calls.Keys.Order(StringComparer.Ordinal));
        output.WriteLine($"handled twice: {calls.Count(c => c.Value > 1)} (the held ones: {held.Count})");
    }

    [Fact]
    public async Task Should_attempt_a_retry_in_flight_on_a_killed_copy_again_once_its_short_lease_ends()
    {
        await using var copies = await Copies.StartAsync(broker.Node, postgres.Cluster);
        await using var client = Hubs.Client(copies.Balancer.Address, timeout: TimeSpan.FromSeconds(60));
        var calls = new ConcurrentDictionary<string, int>();
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var again = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.OnAsync("retried.order.*", async (evt, _) =>
        {
            var call = calls.AddOrUpdate(evt.Id, 1, (_, n) => n + 1);
            // The first attempt fails, so the second is a retry: claimed from the database with a lease, not a broker message.
            if (evt.Attempt == 1)
                throw new InvalidOperationException("first attempt fails");
            if (held.TrySetResult(evt.Id))
                await release.Task;
            else if (call > 2 && held.Task.Result == evt.Id)
                again.TrySetResult(Stopwatch.GetTimestamp());
        }, new ListenOptions { MaxConcurrency = 4, TimeoutSeconds = 60, RetrySchedule = ["0s", "0s"] }, Cancel);

        var id = await client.EmitAsync("retried.order.placed", new { n = 1 }, Cancel);
        try
        {
            Assert.Equal(id, await held.Task.WaitAsync(Limit, Cancel));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"handler calls: {string.Join(", ", calls)}");
            foreach (var host in copies.Hosts)
                output.WriteLine($"--- copy on {host.BaseAddress}, last lines:\n{string.Join('\n', host.Output.Split('\n').TakeLast(40))}");
            throw;
        }

        var holder = copies.Hosts.Single(h => h.Output.Contains($"Pull stream opened for listener {subscription.ListenerId}", StringComparison.Ordinal));
        var killedAt = Stopwatch.GetTimestamp();
        await holder.KillAsync();

        var handledAgain = await again.Task.WaitAsync(Limit, Cancel);
        output.WriteLine($"the retry in flight on the killed copy was handled again {Stopwatch.GetElapsedTime(killedAt, handledAgain).TotalSeconds:F1} s after the SIGKILL");
        release.SetResult();
        await SucceededAsync(client, subscription.ListenerId, [id]);
    }

    [Fact]
    public async Task Should_deliver_webhooks_registered_and_emitted_through_the_balancer()
    {
        await using var copies = await Copies.StartAsync(broker.Node, postgres.Cluster);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = copies.Balancer.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", Hubs.ApiKey);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "balanced-webhook", events = new[] { "balanced.hook.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        Assert.True(registered.IsSuccessStatusCode, listener.ToJsonString());
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await Task.WhenAll(copies.Hosts.Select(h => h.WaitForOutputAsync($"Delivering to listener {listener["id"]}").WaitAsync(Limit, Cancel)));
        await using var client = Hubs.Client(copies.Balancer.Address, timeout: TimeSpan.FromSeconds(60));

        var ids = await EmitAsync(client, "balanced.hook.sent");

        var delivered = await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Select(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("id").GetString()!).ToHashSet()),
            got => got.IsSupersetOf(ids),
            Limit,
            $"{Events} webhooks");
        Assert.Equal(ids.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
        Assert.All(receiver.Received, d => Assert.True(d.SignatureValid));
    }

    static async Task<List<string>> EmitAsync(EventHubClient client, string name)
    {
        var ids = new List<string>();
        for (var batch = 0; batch < Events / 50; batch++)
            ids.AddRange(await client.EmitAsync(Enumerable.Range(batch * 50, 50).Select(i => new EmitEvent(name, new { i })), Cancel));
        return ids;
    }

    static Task SucceededAsync(EventHubClient client, string listenerId, IReadOnlyCollection<string> ids, TimeSpan? limit = null) =>
        Eventually.UntilAsync(
            async () => await client.GetTransactionsAsync(listenerId, "succeeded", Cancel).CountAsync(Cancel),
            n => n == ids.Count,
            limit ?? Limit,
            $"{ids.Count} succeeded transactions");

    /// <summary>Two copies of the host sharing a virtual host and a database, and the balancer in front of them.</summary>
    sealed class Copies(List<HostProcess> hosts, TcpProxy balancer) : IAsyncDisposable
    {
        public IReadOnlyList<HostProcess> Hosts => hosts;

        public TcpProxy Balancer => balancer;

        /// <summary>CPU time the running copies have used so far.</summary>
        public TimeSpan Cpu() => hosts.Where(h => !h.HasExited).Aggregate(TimeSpan.Zero, (sum, h) => sum + Process.GetProcessById(h.Id).TotalProcessorTime);

        public static async Task<Copies> StartAsync(RabbitMqNode node, PostgresCluster postgres)
        {
            var settings = await Hubs.ProductionAsync(node, postgres);
            var hosts = new List<HostProcess>();
            try
            {
                // One after the other: the first creates the schema, which two starting side by side would race for.
                for (var copy = 0; copy < 2; copy++)
                {
                    hosts.Add(await HostProcess.StartAsync(settings));
                    await hosts[copy].WaitForOutputAsync("Bus started: rabbitmq://").WaitAsync(Limit, Cancel);
                }
            }
            catch
            {
                foreach (var host in hosts)
                    await host.DisposeAsync();
                throw;
            }

            return new Copies(hosts, new TcpProxy([.. hosts.Select(h => h.BaseAddress)]));
        }

        public async ValueTask DisposeAsync()
        {
            await balancer.DisposeAsync();
            foreach (var host in hosts)
                await host.DisposeAsync();
        }
    }
}
