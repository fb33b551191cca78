using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Host.Bus;
using EventHub.TestSupport;
using MassTransit;
using RabbitMQ.Client;

namespace EventHub.Integration.Tests;

/// <summary>
/// The hub writes each event to a channel itself instead of through MassTransit's publish (docs/adr/0034): what it
/// writes must be what MassTransit wrote, for a separate MassTransit service on the contracts and for a queue bound by
/// pattern, and an exchange gone from the broker must be declared again, with nothing lost.
/// </summary>
public sealed class HubEventWireOnRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_entry_reaches_another_services_typed_consumers_and_a_pattern_bound_queue_as_masstransit_wrote_it()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        var vhost = settings.VirtualHost();
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var received = new Received();
        var other = OtherService(vhost, received);
        await other.StartAsync(Cancel);
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(vhost)) };
            await using var connection = await factory.CreateConnectionAsync(Cancel);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
            await channel.QueueDeclareAsync("failed-logins", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
            await channel.QueueBindAsync("failed-logins", HubEventNames.Exchange, "auth0.auth.login.fail.*", cancellationToken: Cancel);

            var failed = Auth0Entries.Record("f", user: "auth0|wire");
            var logId = failed["log_id"]!.GetValue<string>();
            await http.PostAuth0Async([failed]);

            var messageId = HubMessageIds.For(logId);
            var byInterface = await received.OneAsync<IAuth0LoginFailure>(logId);
            var byRecord = await received.OneAsync<Auth0FailedLogin>(logId);
            foreach (var context in new ConsumeContext[] { byInterface, byRecord })
            {
                Assert.Equal(messageId, context.MessageId);
                Assert.True(context.Headers.TryGetHeader(HubEventNames.InBatchHeader, out _), "the entry is marked as also in its batch");
            }

            Assert.Equal("auth0|wire", byInterface.Message.UserId);
            Assert.Equal("auth0.auth.login.fail.f", byRecord.Message.Name);
            Assert.Equal("auth0:example-tenant", byRecord.Message.Source);
            Assert.Contains("\"type\":\"f\"", byRecord.Message.Payload, StringComparison.Ordinal);

            var routed = (await Eventually.UntilAsync(() => channel.BasicGetAsync("failed-logins", autoAck: true, Cancel), r => r is not null, what: "the entry on the pattern-bound queue"))!;
            Assert.Equal("auth0.auth.login.fail.f", routed.RoutingKey);
            Assert.Equal("application/vnd.masstransit+json", routed.BasicProperties.ContentType);
            Assert.Equal(messageId.ToString(), routed.BasicProperties.MessageId);
            Assert.True(routed.BasicProperties.Persistent);
            Assert.Equal("True", Encoding.UTF8.GetString((byte[])routed.BasicProperties.Headers![HubEventNames.InBatchHeader]!));
            var envelope = JsonNode.Parse(Encoding.UTF8.GetString(routed.Body.Span))!;
            Assert.Equal(messageId.ToString(), envelope["messageId"]!.GetValue<string>());
            Assert.Equal(logId, envelope["message"]!["eventId"]!.GetValue<string>());
            Assert.Equal(
                MessageTypeCache.GetMessageTypeNames(typeof(Auth0FailedLogin)),
                envelope["messageType"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
            Assert.EndsWith("/EventHub.Contracts.Auth0:Auth0FailedLogin", envelope["destinationAddress"]!.GetValue<string>(), StringComparison.Ordinal);

            var queues = await broker.Node.ListQueuesAsync(vhost);
            Assert.Equal(0, queues.GetValueOrDefault("store-events_error"));
        }
        finally
        {
            await other.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_exchange_deleted_under_the_hub_is_declared_again_with_its_bindings_and_no_acknowledged_entry_is_lost()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        var vhost = settings.VirtualHost();
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        await using var queue = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(vhost), "auth0.auth.login.fail.*");
        var first = Auth0Entries.Record("f", user: "auth0|before");
        await http.PostAuth0Async([first]);
        await ArrivesAsync(queue, first["log_id"]!.GetValue<string>());

        // An operator (or a broker reset) removes the record type's exchange, and with it its bindings towards
        // eventhub.events: until the hub declares both again, its entries reach no queue.
        var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(vhost)) };
        await using (var connection = await factory.CreateConnectionAsync(Cancel))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
            await channel.ExchangeDeleteAsync("EventHub.Contracts.Auth0:Auth0FailedLogin", cancellationToken: Cancel);

        // Sent as a sender does: again, with the same entry, until it is acknowledged. The hub may refuse one (the broker
        // closes the channel that published to the missing exchange); once acknowledged, the entry is routed.
        var second = Auth0Entries.Record("f", user: "auth0|after");
        var logId = second["log_id"]!.GetValue<string>();
        var answers = new List<HttpStatusCode>();
        await Eventually.UntilAsync(
            async () =>
            {
                var status = (await http.PostAuth0Async(Auth0Entries.JsonArray([second]), Cancel)).StatusCode;
                answers.Add(status);
                return status;
            },
            status => status == HttpStatusCode.OK,
            what: "the entry acknowledged");
        Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        await ArrivesAsync(queue, logId);
        var exchanges = await broker.Node.ListExchangesAsync(vhost);
        Assert.Equal("fanout", exchanges["EventHub.Contracts.Auth0:Auth0FailedLogin"]);
    }

    static async Task ArrivesAsync(BoundQueue queue, string logId)
    {
        var received = new List<(string RoutingKey, JsonNode Event)>();
        await Eventually.UntilAsync(
            async () =>
            {
                received.AddRange(await queue.DrainAsync());
                return received.Any(m => m.Event["eventId"]!.GetValue<string>() == logId);
            },
            arrived => arrived,
            what: $"{logId} on the pattern-bound queue");
    }

    /// <summary>A service of its own on the same broker, with MassTransit's default topology and only the contracts in common.</summary>
    IBusControl OtherService(string vhost, Received received) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri($"rabbitmq://127.0.0.1:{broker.Node.Port}/{Uri.EscapeDataString(vhost)}"), h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.ReceiveEndpoint("other-service-login-failures", e => e.Handler<IAuth0LoginFailure>(c => received.Add(c, c.Message.EventId)));
            cfg.ReceiveEndpoint("other-service-failed-logins", e => e.Handler<Auth0FailedLogin>(c => received.Add(c, c.Message.EventId)));
        });

    sealed class Received
    {
        readonly ConcurrentDictionary<(Type, string), ConsumeContext> contexts = new();

        public Task Add<T>(ConsumeContext<T> context, string eventId)
            where T : class
        {
            contexts[(typeof(T), eventId)] = context;
            return Task.CompletedTask;
        }

        public async Task<ConsumeContext<T>> OneAsync<T>(string eventId)
            where T : class =>
            (ConsumeContext<T>)(await Eventually.UntilAsync(
                () => Task.FromResult(contexts.GetValueOrDefault((typeof(T), eventId))),
                c => c is not null,
                what: $"{typeof(T).Name} {eventId} at the other service"))!;
    }
}
