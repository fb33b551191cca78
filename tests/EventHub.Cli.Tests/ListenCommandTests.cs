using System.Text.Json;
using EventHub.Client;
using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary><c>eventhub listen --forward-to</c> and <c>eventhub tail</c> against the real host over RabbitMQ, with a real local receiver.</summary>
public sealed class ListenCommandTests(CliHub hub) : IClassFixture<CliHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Listen_forwards_each_event_signed_with_the_listeners_secret_and_acknowledges_with_the_local_answer()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cli = Cli.Start(hub.Environment, "listen", "cli.order.*", "cli.refund.#", "--forward-to", receiver.Url, "--label", "forward-test");
        var started = await cli.LineAsync("Forwarding", "the start line");
        var listenerId = started[(started.IndexOf("(listener ", StringComparison.Ordinal) + 10)..started.IndexOf(')', StringComparison.Ordinal)];
        var secretLine = await cli.LineAsync("Signed with the listener's secret:", "the secret");
        receiver.Secret = secretLine[secretLine.IndexOf("whsec_", StringComparison.Ordinal)..].Trim();
        await using var client = hub.Client();

        var placed = await client.EmitAsync("cli.order.placed", new { order = 7 }, Cancel);
        var refunded = await client.EmitAsync("cli.refund.card.done", new { order = 7 }, Cancel);

        var delivery = await DeliveryAsync(receiver, placed);
        Assert.True(delivery.SignatureValid, "the receiver's own HMAC check");
        Assert.True(Webhooks.Verify(receiver.Secret, [new("webhook-id", delivery.WebhookId), new("webhook-timestamp", delivery.Timestamp), new("webhook-signature", delivery.Signature)], delivery.Body));
        using (var body = JsonDocument.Parse(delivery.Body))
        {
            Assert.Equal(placed, body.RootElement.GetProperty("id").GetString());
            Assert.Equal("cli.order.placed", body.RootElement.GetProperty("name").GetString());
            Assert.Equal("cli", body.RootElement.GetProperty("source").GetString());
            Assert.Equal(7, body.RootElement.GetProperty("payload").GetProperty("order").GetInt32());
        }

        Assert.True((await DeliveryAsync(receiver, refunded)).SignatureValid);
        var line = await cli.LineAsync(placed, "the line of the event");
        Assert.Contains("200", line, StringComparison.Ordinal);
        Assert.Contains("cli.order.placed", line, StringComparison.Ordinal);
        var transaction = await TransactionAsync(client, listenerId, placed, t => t.State == "succeeded");
        Assert.Contains("\"handledBy\":\"receiver\"", transaction.Output, StringComparison.Ordinal);

        receiver.StatusFor = id => id.StartsWith("fail-", StringComparison.Ordinal) ? 500 : null;
        var failing = await client.EmitAsync(new EmitEvent("cli.order.broken", new { order = 8 }) { Id = "fail-" + Guid.NewGuid().ToString("N") }, Cancel);
        var failed = await TransactionAsync(client, listenerId, failing, t => t.Error is not null);
        Assert.NotEqual("succeeded", failed.State);
        Assert.Contains("500", failed.Error, StringComparison.Ordinal);
        Assert.Contains("500", await cli.LineAsync(failing, "the line of the failed event"), StringComparison.Ordinal);

        Assert.Equal(0, await cli.StopAsync());
        Console.WriteLine(cli.Output);
    }

    [Fact]
    public async Task Tail_prints_each_event_as_one_json_line_and_removes_its_listener_when_stopped()
    {
        await using var client = hub.Client();
        await using var cli = Cli.Start(hub.Environment, "tail", "cli.tail.*", "--json");
        // Listed is not yet bound: the registry row is written before the listener's queue is declared and bound, so an
        // event emitted as soon as the listener is listed could be routed nowhere. The tail's own line (on stderr with
        // --json, stdout stays JSON lines) says when it listens.
        await cli.LineAsync("Tailing cli.tail.*", "the tail saying it listens");
        var listener = (await client.GetListenersAsync(Cancel)).Single(l => l.Name == "cli.tail.*");
        var id = await client.EmitAsync("cli.tail.seen", new { n = 1 }, Cancel);

        var line = await cli.LineAsync(id, "the tailed event");
        using (var json = JsonDocument.Parse(line))
        {
            Assert.Equal("cli.tail.seen", json.RootElement.GetProperty("name").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("payload").GetProperty("n").GetInt32());
        }

        Assert.Equal(0, await cli.StopAsync());
        Assert.DoesNotContain(await client.GetListenersAsync(Cancel), l => l.Id == listener.Id);
    }

    static Task<WebhookReceiver.Delivery> DeliveryAsync(WebhookReceiver receiver, string id) =>
        Eventually.UntilAsync(() => Task.FromResult(receiver.Received.FirstOrDefault(d => d.WebhookId == id)), d => d is not null, Eventually.DefaultLimit, $"the delivery of {id}")!;

    internal static async Task<Transaction> TransactionAsync(EventHubClient client, string listenerId, string eventId, Func<Transaction, bool> done) =>
        (await Eventually.UntilAsync(
            async () => await client.GetTransactionsAsync(listenerId, cancellationToken: Cancel).FirstOrDefaultAsync(t => t.EventId == eventId, Cancel),
            t => t is not null && done(t),
            Eventually.DefaultLimit,
            $"the transaction of {eventId}"))!;
}
