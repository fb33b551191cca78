using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>The SDK against the real host on RabbitMQ and PostgreSQL: emit, listen, acknowledge, retry, dead letters, deregister.</summary>
public sealed class ListenTests(ProductionHub hub) : IClassFixture<ProductionHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    public sealed record Order(int Number, string Customer);

    [Fact]
    public async Task Should_run_the_typed_handler_and_store_its_output_in_the_transaction()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        var handled = new TaskCompletionSource<HubEvent<Order>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.OnAsync<Order>("typed.order.*", async (evt, ct) =>
        {
            handled.TrySetResult(evt);
            await Task.Yield();
            return new { shipped = evt.Data.Number, to = evt.Data.Customer };
        }, cancellationToken: Cancel);

        var id = await client.EmitAsync("typed.order.placed", new Order(42, "ada"), Cancel);

        var evt = await handled.Task.WaitAsync(Eventually.DefaultLimit, Cancel);
        Assert.Equal(id, evt.Id);
        Assert.Equal("typed.order.placed", evt.Name);
        Assert.Equal("sdk", evt.Source);
        Assert.Equal(new Order(42, "ada"), evt.Data);
        Assert.Equal(1, evt.Attempt);
        var transaction = await ClientWait.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "succeeded", "the succeeded transaction");
        using var output = JsonDocument.Parse(transaction!.Output!);
        Assert.Equal(42, output.RootElement.GetProperty("shipped").GetInt32());
        Assert.Equal("ada", output.RootElement.GetProperty("to").GetString());
        Assert.Single(transaction.History);
        Assert.Null(transaction.History[0].Error);
    }

    [Fact]
    public async Task Should_hand_the_handler_only_what_the_listen_filter_matches()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        var handled = new ConcurrentQueue<string>();
        var filter = JsonNode.Parse("""{"payload.tier": {"$in": ["gold"]}, "payload.ip": {"$cidr": "2001:db8::/32"}}""")!.AsObject();
        await using var subscription = await client.OnAsync("filtered.login", (evt, _) =>
        {
            handled.Enqueue(evt.Id);
            return Task.CompletedTask;
        }, new ListenOptions { Filter = filter }, Cancel);

        await client.EmitAsync("filtered.login", new { tier = "silver", ip = "2001:db8::1" }, Cancel);
        var wanted = await client.EmitAsync("filtered.login", new { tier = "gold", ip = "2001:db8::2" }, Cancel);
        await client.EmitAsync("filtered.login", new { tier = "gold", ip = "192.0.2.1" }, Cancel);
        var last = await client.EmitAsync("filtered.login", new { tier = "gold", ip = "2001:db8::3" }, Cancel);

        await Eventually.UntilAsync(() => Task.FromResult(handled.ToList()), h => h.Contains(wanted) && h.Contains(last), ClientWait.Limit, "both matching events handled");
        Assert.Equal(new[] { wanted, last }.Order(StringComparer.Ordinal), handled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_a_bad_listen_filter_naming_the_path_and_operator()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);

        var refused = await Assert.ThrowsAsync<EventHubValidationException>(() => client.OnAsync("bad.filter", (_, _) => Task.CompletedTask, new ListenOptions { Filter = JsonNode.Parse("""{"payload.ip": {"$cidr": "300.0.0.0/8"}}""")!.AsObject() }, Cancel));

        Assert.Equal("filter.payload.ip.$cidr", refused.Field);
    }

    [Fact]
    public async Task Should_emit_a_batch_returning_ids_in_order_and_page_through_them()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        var ids = await client.EmitAsync([.. Enumerable.Range(1, 5).Select(i => new EmitEvent($"paged.item.n{i}", new { i }))], Cancel);

        Assert.Equal(5, ids.Count);
        Assert.Equal(5, ids.Distinct().Count());
        var listed = await Eventually.UntilAsync(
            async () => await client.GetEventsAsync(new EventQuery { Name = "paged.#", PageSize = 2 }, Cancel).ToListAsync(Cancel),
            events => events.Count == 5,
            ClientWait.Limit,
            "the five events in the event log");
        // The event log lists events in the order they were stored, and the five are published side by side: compare as sets.
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3, 4, 5], listed.Select(e => e.Payload.GetProperty("i").GetInt32()).Order());
        Assert.All(listed, e => Assert.Equal(ids[e.Payload.GetProperty("i").GetInt32() - 1], e.Id));
        Assert.All(listed, e => Assert.NotNull(e.ReceivedAt));
    }

    [Fact]
    public async Task Should_retry_a_failing_handler_then_dead_letter_and_replay_it()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        var attempts = new ConcurrentQueue<int>();
        var fail = true;
        await using var subscription = await client.OnAsync("flaky.job.*", (evt, ct) =>
        {
            attempts.Enqueue(evt.Attempt);
            return Volatile.Read(ref fail) ? throw new InvalidOperationException("printer on fire") : Task.FromResult<object?>(new { printed = true });
        }, new ListenOptions { RetrySchedule = ["0s", "1s"] }, Cancel);

        var id = await client.EmitAsync("flaky.job.print", new { pages = 3 }, Cancel);

        var dead = await ClientWait.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "dead", "the dead letter");
        Assert.Equal(3, dead!.History.Count);
        Assert.All(dead.History, a => Assert.Equal("InvalidOperationException: printer on fire", a.Error));
        Assert.Equal([1, 2, 3], attempts);
        Assert.Contains(await client.GetTransactionsAsync(subscription.ListenerId, "dead", Cancel).ToListAsync(Cancel), t => t.EventId == id);

        Volatile.Write(ref fail, false);
        Assert.Equal(1, await client.ReplayDeadLettersAsync(subscription.ListenerId, [id], Cancel));
        var replayed = await ClientWait.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "succeeded", "the replayed delivery");
        Assert.Equal(4, replayed!.History.Count);
        Assert.True(replayed.History[3].Replay);
        Assert.Equal("{\"printed\":true}", replayed.Output);
    }

    [Fact]
    public async Task Should_redeliver_an_event_whose_stream_was_cut_mid_flight_and_record_both_attempts()
    {
        await using var proxy = new TcpProxy(hub.Host.BaseAddress);
        await using var client = Hubs.Client(proxy.Address);
        var calls = new ConcurrentQueue<int>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.OnAsync("cut.mail.*", async (evt, ct) =>
        {
            calls.Enqueue(evt.Attempt);
            if (calls.Count == 1)
            {
                firstStarted.TrySetResult();
                await releaseFirst.Task.WaitAsync(ct);
            }
            else
            {
                second.TrySetResult();
            }

            return new { sent = calls.Count };
        }, new ListenOptions { MaxConcurrency = 2 }, Cancel); // the first handler holds one slot while the redelivery needs another

        var id = await client.EmitAsync("cut.mail.send", new { to = "ada" }, Cancel);
        await firstStarted.Task.WaitAsync(Eventually.DefaultLimit, Cancel);
        proxy.CutAll();
        await second.Task.WaitAsync(Eventually.DefaultLimit, Cancel);
        releaseFirst.TrySetResult();

        var transaction = await ClientWait.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "succeeded", "the redelivered event's success");
        Assert.Equal([1, 2], calls);
        Assert.Equal(2, transaction!.History.Count);
        Assert.Equal("the stream closed before the event was acknowledged", transaction.History[0].Error);
        Assert.Null(transaction.History[1].Error);
        Assert.True(subscription.Connections >= 2);
    }

    [Fact]
    public async Task Should_detect_a_silent_stream_by_its_missing_heartbeats_and_have_it_released_by_last_event_id()
    {
        await using var proxy = new TcpProxy(hub.Host.BaseAddress);
        await using var client = Hubs.Client(proxy.Address);
        var calls = new ConcurrentQueue<int>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.OnAsync("silent.job.*", async (evt, ct) =>
        {
            calls.Enqueue(evt.Attempt);
            if (calls.Count == 1)
            {
                firstStarted.TrySetResult();
                await second.Task.WaitAsync(ct);
            }
            else
            {
                second.TrySetResult();
            }
        }, new ListenOptions { MaxConcurrency = 2, TimeoutSeconds = 60 }, Cancel);

        var id = await client.EmitAsync("silent.job.run", new { }, Cancel);
        await firstStarted.Task.WaitAsync(Eventually.DefaultLimit, Cancel);
        proxy.FreezeAll();

        await using var direct = Hubs.Client(hub.Host.BaseAddress);
        var transaction = await ClientWait.TransactionAsync(direct, subscription.ListenerId, id, t => t.State == "succeeded", "the redelivery on the new stream");
        // The hub never saw the old connection close (the path froze): only Last-Event-ID released its event, well
        // before the 60 s acknowledgement timeout would have.
        Assert.Equal("the stream closed before the event was acknowledged", transaction!.History[0].Error);
        Assert.Equal([1, 2], calls);
        Assert.True(subscription.Connections >= 2);
    }

    [Fact]
    public async Task Should_share_the_events_of_one_key_between_two_subscribers_on_two_host_copies()
    {
        await using var copyB = await HostProcess.StartAsync(hub.Settings);
        await using var clientA = Hubs.Client(hub.Host.BaseAddress);
        await using var clientB = Hubs.Client(copyB.BaseAddress);
        var handledBy = new ConcurrentDictionary<string, string>();
        var gotOne = new Dictionary<string, TaskCompletionSource> { ["a"] = new(TaskCreationOptions.RunContinuationsAsynchronously), ["b"] = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        Func<HubEvent, CancellationToken, Task<object?>> Handler(string me, string other) => async (evt, ct) =>
        {
            handledBy.TryAdd(evt.Id, me);
            gotOne[me].TrySetResult();
            // Holds its one slot until the other subscriber has an event too: only sharing lets this finish.
            await gotOne[other].Task.WaitAsync(Eventually.DefaultLimit, ct);
            return me;
        };
        var options = new ListenOptions { Platform = "shop", Label = "workers", MaxConcurrency = 1 };
        await using var a = await clientA.OnAsync("shared.task.*", Handler("a", "b"), options, Cancel);
        await using var b = await clientB.OnAsync("shared.task.*", Handler("b", "a"), options, Cancel);
        Assert.Equal(a.ListenerId, b.ListenerId);

        var ids = await clientA.EmitAsync([.. Enumerable.Range(1, 10).Select(i => new EmitEvent("shared.task.run", new { i }))], Cancel);

        await Eventually.UntilAsync(
            async () => (await clientA.GetTransactionsAsync(a.ListenerId, "succeeded", Cancel).ToListAsync(Cancel)).Count,
            n => n == ids.Count,
            ClientWait.Limit,
            "every event handled");
        Assert.Equal(ids.Order(), handledBy.Keys.Order());
        Assert.Contains("a", handledBy.Values);
        Assert.Contains("b", handledBy.Values);
    }

    [Fact]
    public async Task Should_deregister_with_off_and_stop_the_local_subscription()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        using var http = Hubs.Http(hub.Host);
        var key = new ListenerKey { Name = "off.thing.*", Platform = "svc", TxKey = "audit" };
        var subscription = await client.OnAsync("off.thing.*", (evt, ct) => Task.CompletedTask, new ListenOptions { Platform = "svc", TxKey = "audit" }, Cancel);
        await using var other = await client.OnAsync("off.other.*", (evt, ct) => Task.CompletedTask, new ListenOptions { Platform = "svc2" }, Cancel);
        Assert.Contains(await ListenerIdsAsync(http), id => id == subscription.ListenerId);

        Assert.True(await client.OffAsync(key, Cancel));

        await subscription.Completion.WaitAsync(Eventually.DefaultLimit, Cancel);
        Assert.DoesNotContain(subscription.ListenerId, await ListenerIdsAsync(http));
        Assert.Contains(other.ListenerId, await ListenerIdsAsync(http));
        Assert.False(await client.OffAsync(key, Cancel));
        Assert.Equal(1, await client.OffAllAsync(platform: "svc2", cancellationToken: Cancel));
        Assert.DoesNotContain(other.ListenerId, await ListenerIdsAsync(http));
        await other.Completion.WaitAsync(Eventually.DefaultLimit, Cancel);
    }

    [Fact]
    public async Task Should_stop_on_cancellation_and_on_dispose_even_when_a_handler_ignores_its_token()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress, shutdownTimeout: TimeSpan.FromMilliseconds(500));
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = await client.OnAsync("stop.stuck.*", async (evt, ct) =>
        {
            stuck.TrySetResult();
            await never.Task;
        }, cancellationToken: Cancel);
        using var cancel = new CancellationTokenSource();
        var cancellable = await client.OnAsync("stop.cancel.*", (evt, ct) => Task.CompletedTask, cancellationToken: cancel.Token);

        await client.EmitAsync("stop.stuck.now", new { }, Cancel);
        await stuck.Task.WaitAsync(Eventually.DefaultLimit, Cancel);
        await stubborn.DisposeAsync().AsTask().WaitAsync(Eventually.DefaultLimit, Cancel);
        await cancel.CancelAsync();
        await cancellable.Completion.WaitAsync(Eventually.DefaultLimit, Cancel);

        Assert.True(stubborn.Completion.IsCompletedSuccessfully);
        Assert.True(cancellable.Completion.IsCompletedSuccessfully);
        never.TrySetResult();
    }

    static async Task<List<string>> ListenerIdsAsync(HttpClient http) =>
        [.. JsonNode.Parse(await http.GetStringAsync("/v1/listeners", Cancel))!["items"]!.AsArray().Select(l => l!["id"]!.GetValue<string>())];

    [Fact]
    public async Task Should_end_a_subscription_whose_listener_was_deleted_elsewhere_with_not_found()
    {
        await using var client = Hubs.Client(hub.Host.BaseAddress);
        using var http = Hubs.Http(hub.Host);
        await using var subscription = await client.OnAsync("gone.thing.*", (evt, ct) => Task.CompletedTask, cancellationToken: Cancel);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/v1/listeners/{subscription.ListenerId}", Cancel)).StatusCode);

        await Assert.ThrowsAsync<EventHubNotFoundException>(() => subscription.Completion.WaitAsync(Eventually.DefaultLimit, Cancel));
    }
}
