using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using RabbitMQ.Client;

namespace EventHub.Integration.Tests;

/// <summary>
/// The hub writes its batch messages as their JSON alone (docs/adr/0032: no envelope, under
/// <c>application/vnd.eventhub.batch+json</c>), and its event log and detections still read a batch in MassTransit's
/// envelope, as the release before wrote them, so the two roll out side by side with nothing sent to an error queue.
/// </summary>
public sealed class BatchFormatOnRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    const string LeakedPassword = "security.detection.leaked_password_login";

    [Fact]
    public async Task A_batch_is_written_without_an_envelope_and_one_in_an_envelope_is_stored_and_evaluated_all_the_same()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        var vhost = settings.VirtualHost();
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(vhost)) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), Cancel);
        await channel.QueueDeclareAsync("copy-batches", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await channel.QueueBindAsync("copy-batches", "eventhub.batches", "#", cancellationToken: Cancel);

        // A leaked-password login (a single-entry detection) as this release publishes its batch: its JSON alone.
        var leaked = Auth0Entries.Record("pwd_leak", user: "auth0|batch-format");
        var oldId = leaked["log_id"]!.GetValue<string>();
        await http.PostAuth0Async([leaked]);
        var written = (await Eventually.UntilAsync(() => channel.BasicGetAsync("copy-batches", autoAck: true, Cancel), r => r is not null, what: "the entry's batch on eventhub.batches"))!;
        Assert.Equal("application/vnd.eventhub.batch+json", written.BasicProperties.ContentType);
        Assert.DoesNotContain((byte)'\n', written.Body.ToArray());
        var batch = JsonNode.Parse(Encoding.UTF8.GetString(written.Body.Span))!;
        Assert.Null(batch["message"]);
        Assert.Equal(oldId, batch["auth0"]![0]!["eventId"]!.GetValue<string>());
        // The payload (the log stream record's data) as its JSON itself, not an escaped string (docs/adr/0038).
        var payload = batch["auth0"]![0]!["payload"]!;
        Assert.Equal(JsonValueKind.Object, payload.GetValueKind());
        Assert.True(JsonNode.DeepEquals(leaked["data"], payload), payload.ToJsonString());

        // The same batch as a release before ADR 0032 wrote it, in MassTransit's envelope with the payload as a string, for
        // an entry with an id of its own.
        var newId = "90020" + Guid.NewGuid().ToString("N")[..20];
        var message = JsonNode.Parse(batch.ToJsonString().Replace(oldId, newId, StringComparison.Ordinal))!;
        message["auth0"]![0]!["payload"] = message["auth0"]![0]!["payload"]!.ToJsonString();
        var envelope = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["messageType"] = new JsonArray("urn:message:EventHub.Contracts:HubEventBatch"),
            ["message"] = message,
        };
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = envelope["messageId"]!.GetValue<string>() };
        await channel.BasicPublishAsync("eventhub.batches", "auth0", true, properties, Encoding.UTF8.GetBytes(envelope.ToJsonString()), Cancel);

        var stored = await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{newId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the entry in the event log");
        var original = JsonNode.Parse(await http.GetStringAsync($"/v1/events/{oldId}", Cancel))!;
        var copy = JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(original["name"]!.GetValue<string>(), copy["name"]!.GetValue<string>());
        Assert.Equal(original["source"]!.GetValue<string>(), copy["source"]!.GetValue<string>());
        await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync($"/v1/events?name={LeakedPassword}&limit=100", Cancel))!["items"]!.AsArray(),
            alerts => alerts.Any(a => a!["payload"]!.ToJsonString().Contains(newId, StringComparison.Ordinal)),
            what: "the detections' alert for the entry");
        var queues = await broker.Node.ListQueuesAsync(vhost);
        Assert.Equal(0, queues.GetValueOrDefault("store-events_error"));
        Assert.Equal(0, queues.GetValueOrDefault("evaluate-rules_error"));
    }
}
