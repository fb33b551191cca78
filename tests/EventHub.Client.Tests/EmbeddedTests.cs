using System.Text.Json;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Client.Tests;

/// <summary>Pull delivery in the embedded mode (in-memory bus, SQLite), through the SDK and a DI-registered client.</summary>
public sealed class EmbeddedTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_deliver_to_a_di_registered_client_in_memory_and_keep_events_emitted_while_no_stream_was_open()
    {
        await using var host = await HostProcess.StartAsync(Hubs.Embedded());
        var services = new ServiceCollection();
        services.AddEventHubClient(o =>
        {
            o.BaseAddress = host.BaseAddress;
            o.ApiKey = Hubs.ApiKey;
            o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventHubClient>();
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var bothSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<object?> Handler(HubEvent evt, CancellationToken ct)
        {
            received.Enqueue(evt.Id);
            if (received.Distinct().Count() == 2)
                bothSeen.TrySetResult();
            return Task.FromResult<object?>(new { seen = evt.Payload.GetProperty("n").GetInt32() });
        }

        var first = await client.OnAsync("mem.note.*", Handler, cancellationToken: Cancel);
        var listenerId = first.ListenerId;
        var live = await client.EmitAsync("mem.note.live", new { n = 1 }, Cancel);
        await ClientWait.TransactionAsync(client, listenerId, live, t => t.State == "succeeded", "the live event");
        await first.DisposeAsync();

        // Nobody streams now: the event waits (queue or schedule) until a subscriber is back.
        var waiting = await client.EmitAsync("mem.note.waiting", new { n = 2 }, Cancel);
        await using var again = await client.OnAsync("mem.note.*", Handler, cancellationToken: Cancel);
        // The transaction first: if the event never arrives, the timeout names its last state and error.
        var transaction = await ClientWait.TransactionAsync(client, listenerId, waiting, t => t.State == "succeeded", "the event emitted while nobody listened");
        await bothSeen.Task.WaitAsync(Eventually.DefaultLimit, Cancel);

        Assert.Equal(listenerId, again.ListenerId);
        Assert.Equal(2, JsonDocument.Parse(transaction!.Output!).RootElement.GetProperty("seen").GetInt32());
    }
}
