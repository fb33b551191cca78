using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using RabbitMQ.Client;

namespace EventHub.Integration.Tests;

/// <summary>
/// GET /v1/errors and POST /v1/errors/{queue}/replay on a host process over RabbitMQ. The poison message is put in
/// store-events_error as MassTransit leaves one after its retries (the envelope, MessageId, MT-Fault-* headers): a real
/// fault of the event log takes minutes of retries to get there.
/// </summary>
public sealed class ErrorQueueTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_poison_message_in_store_events_error_is_listed_with_its_exception_and_replayed_into_the_event_log()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var eventId = "poison-" + Guid.NewGuid().ToString("N");
        var messageId = Guid.NewGuid().ToString();
        await PutInErrorQueueAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), eventId, messageId);

        var listed = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/errors", Cancel))!["items"]!.AsArray().FirstOrDefault(q => q!["queue"]!.GetValue<string>() == "store-events_error"),
            q => q is not null && q["count"]!.GetValue<long>() == 1,
            what: "store-events_error with the poison message");
        Assert.Equal("store-events", listed!["sourceQueue"]!.GetValue<string>());
        var message = Assert.Single(listed["messages"]!.AsArray())!;
        Assert.Equal(messageId, message["messageId"]!.GetValue<string>());
        Assert.Equal("Microsoft.Data.Sqlite.SqliteException", message["exceptionType"]!.GetValue<string>());
        Assert.Contains("database is locked", message["exceptionMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        // Listing takes nothing away.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/events/{eventId}", Cancel)).StatusCode);

        var none = await http.PostAsync("/v1/errors/store-events_error/replay", Json("""{"messageIds": ["not-this-one"]}"""), Cancel);
        Assert.Equal(0, JsonNode.Parse(await none.Content.ReadAsStringAsync(Cancel))!["replayed"]!.GetValue<int>());

        var replay = await http.PostAsync("/v1/errors/store-events_error/replay", Json($$"""{"messageIds": ["{{messageId}}"]}"""), Cancel);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var result = JsonNode.Parse(await replay.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(1, result["replayed"]!.GetValue<int>());
        Assert.Equal(0, result["remaining"]!.GetValue<long>());
        var stored = await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{eventId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the replayed event in the event log");
        Assert.Equal("orders.poisoned", JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replay_refuses_what_is_not_a_hub_error_queue_or_not_a_list_of_message_ids()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        foreach (var queue in new[] { "store-events", "somebody-elses-queue_error", "eventhub.events" })
        {
            var response = await http.PostAsync($"/v1/errors/{queue}/replay", null, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("queue", JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        }

        foreach (var (body, field) in new[] { ("""{"messageIds": "all"}""", "messageIds"), ("""{"messageIds": [1]}""", "messageIds"), ("[", "body"), ("[]", "body") })
        {
            var response = await http.PostAsync("/v1/errors/store-events_error/replay", Json(body), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/v1/errors?peek=1000", Cancel)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/errors", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/errors/store-events_error/replay", null, Cancel)).StatusCode);
    }

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    static async Task PutInErrorQueueAsync(string amqpUri, string eventId, string messageId)
    {
        var envelope = new JsonObject
        {
            ["messageId"] = messageId,
            ["messageType"] = new JsonArray("urn:message:EventHub.Contracts.Events:EmittedEvent", "urn:message:EventHub.Contracts:IHubEvent"),
            ["sentTime"] = "2026-11-20T10:15:31.2Z",
            ["headers"] = new JsonObject(),
            ["message"] = new JsonObject
            {
                ["eventId"] = eventId,
                ["name"] = "orders.poisoned",
                ["source"] = "tests",
                ["occurredAt"] = "2026-11-20T10:15:30.123+00:00",
                ["receivedAt"] = "2026-11-20T10:15:31.2+00:00",
                ["payload"] = """{"order":42}""",
            },
        };
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), Cancel);
        // The host declares store-events_error when the consumer first faults; here it may not exist yet.
        await channel.QueueDeclareAsync("store-events_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        var properties = new BasicProperties
        {
            MessageId = messageId,
            ContentType = "application/vnd.masstransit+json",
            Persistent = true,
            Headers = new Dictionary<string, object?>
            {
                ["MT-Reason"] = "fault",
                ["MT-Fault-ExceptionType"] = "Microsoft.Data.Sqlite.SqliteException",
                ["MT-Fault-Message"] = "SQLite Error 5: 'database is locked'.",
                ["MT-Fault-Timestamp"] = "2026-11-20T10:18:02.5Z",
                ["MT-Fault-ConsumerType"] = "EventHub.Events.EventLog.StoreEventsConsumer",
                ["MT-Fault-StackTrace"] = "   at EventHub.Events.EventLog.EventLogStore.AppendAsync(...)",
            },
        };
        await channel.BasicPublishAsync("", "store-events_error", mandatory: true, properties, Encoding.UTF8.GetBytes(envelope.ToJsonString()), Cancel);
    }
}
