using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using RabbitMQ.Client;
using Prometheus = EventHub.Integration.Tests.TelemetryTests.Prometheus;

namespace EventHub.Integration.Tests;

/// <summary>
/// Ingress waits for the hub's own consumers (docs/adr/0039), on a host process over RabbitMQ and PostgreSQL. The event
/// log is made to look behind the way a flood makes it: it stores batches of events the hub accepted long ago, which a
/// second publisher puts on <c>eventhub.batches</c> in the hub's own batch format for as long as the test wants it
/// behind. The event log's consumer, its lag and the hold are the hub's own.
/// </summary>
public sealed class IngressPacingOnRabbitMqTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    const string HeldCount = "eventhub_ingress_paced_duration_seconds_count";

    [Fact]
    public async Task An_emit_is_held_while_the_event_log_stores_events_late_and_goes_at_once_when_it_keeps_up_again()
    {
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        settings["EventHub:Pacing:Lag"] = "00:00:00.500";
        settings["EventHub:Pacing:MostWait"] = "00:00:03";
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var prefix = "paced-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Accepted, (await EmitAsync(http, $"{prefix}-before")).StatusCode);
        await StoredAsync(http, $"{prefix}-before");
        var heldBefore = await HeldAsync(http);

        var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(settings.VirtualHost())) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), Cancel);
        using var behind = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var oldIds = new List<string>();
        var late = Task.Run(async () =>
        {
            // An hour late, every 100 ms: the event log's lag stays fresh (it counts for 2 s) and far over the limit.
            for (var i = 0; !behind.IsCancellationRequested; i++)
            {
                var id = $"{prefix}-late-{i}";
                lock (oldIds)
                    oldIds.Add(id);
                try
                {
                    await PublishLateBatchAsync(channel, id, behind.Token);
                    await Task.Delay(TimeSpan.FromMilliseconds(100), behind.Token);
                }
                catch (OperationCanceledException) when (behind.IsCancellationRequested)
                {
                }
            }
        }, Cancel);
        await StoredAsync(http, $"{prefix}-late-0");

        var held = await EmitAsync(http, $"{prefix}-held");

        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Equal(heldBefore + 1, await HeldAsync(http));

        await behind.CancelAsync();
        await late;
        // Once the event log's last late batch is older than its freshness, nothing holds an emit.
        var after = await Eventually.UntilAsync(
            async () =>
            {
                var id = $"{prefix}-after-{Guid.NewGuid():N}";
                var before = await HeldAsync(http);
                Assert.Equal(HttpStatusCode.Accepted, (await EmitAsync(http, id)).StatusCode);
                return (Id: id, Held: await HeldAsync(http) > before);
            },
            r => !r.Held,
            what: "an emit that is not held");
        foreach (var id in new[] { $"{prefix}-held", after.Id }.Concat(oldIds))
            await StoredAsync(http, id);
        var queues = await broker.Node.ListQueuesAsync(settings.VirtualHost());
        Assert.Equal(0, queues.GetValueOrDefault("store-events_error"));
    }

    static async Task PublishLateBatchAsync(IChannel channel, string id, CancellationToken cancellationToken)
    {
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var batch = new JsonObject
        {
            ["auth0"] = new JsonArray(),
            ["others"] = new JsonArray(new JsonObject
            {
                ["eventId"] = id,
                ["name"] = "orders.late",
                ["source"] = "pacing-test",
                ["occurredAt"] = anHourAgo,
                ["receivedAt"] = anHourAgo,
                ["payload"] = new JsonObject { ["late"] = true },
            }),
        };
        var properties = new BasicProperties { ContentType = "application/vnd.eventhub.batch+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("eventhub.batches", "others", true, properties, Encoding.UTF8.GetBytes(batch.ToJsonString()), cancellationToken);
    }

    static async Task StoredAsync(HttpClient http, string id) =>
        await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"{id} in the event log");

    static async Task<double> HeldAsync(HttpClient http) => Prometheus.Parse(await http.GetStringAsync("/metrics", Cancel)).Value(HeldCount);

    static Task<HttpResponseMessage> EmitAsync(HttpClient http, string id) =>
        http.PostAsync("/v1/events", new StringContent($$"""{"id": "{{id}}", "name": "orders.placed", "payload": {"order": 42} }""", Encoding.UTF8, "application/json"), Cancel);
}
