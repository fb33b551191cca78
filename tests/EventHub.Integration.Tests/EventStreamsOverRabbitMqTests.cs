using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>Auth0 Event Streams and the /emit alias on a real broker: routed by name, typed for consumers, deduplicable by MessageId, 503 while the broker is down.</summary>
public sealed class EventStreamsOverRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_route_auth0_events_by_type_to_bound_queues_and_typed_consumers_and_store_them()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = await ReadyHubAsync(settings);
        var users = new ConcurrentBag<IAuth0UserChange>();
        var created = new ConcurrentBag<Auth0UserCreated>();
        var connector = hub.Services.GetRequiredService<IReceiveEndpointConnector>();
        var endpoint = connector.ConnectReceiveEndpoint($"users-{Guid.NewGuid():N}"[..20], (_, cfg) =>
            cfg.Handler<IAuth0UserChange>(context =>
            {
                users.Add(context.Message);
                // A consumer of an interface gets the interface; the concrete record is in the same message.
                if (context.TryGetMessage<Auth0UserCreated>(out var record))
                    created.Add(record.Message);
                return Task.CompletedTask;
            }));
        await endpoint.Ready.WaitAsync(Eventually.DefaultLimit, Cancel);
        await using var memberships = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.events.organization.member.#");
        await using var everything = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.events.#");

        var signup = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        var test = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(purpose: "test");
        var updated = Auth0EventStreamEvents.UserUpdated("Jane Q. Doe", "2026-11-20T11:00:00Z");
        var deleted = Auth0EventStreamEvents.UserDeleted();
        var member = Auth0EventStreamEvents.OrganizationMemberAdded();
        var unknown = Auth0EventStreamEvents.Unknown();
        var all = new[] { signup, test, updated, deleted, member, unknown };

        var response = await hub.PostEventStreamAsync(Auth0EventStreamEvents.Batch(all), contentType: "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.PostEventStreamAsync(deleted.ToJsonString())).StatusCode);

        var routed = new List<(string RoutingKey, JsonNode Event)>();
        await Eventually.UntilAsync(
            async () =>
            {
                routed.AddRange(await everything.DrainAsync());
                return routed.Count;
            },
            count => count >= all.Length + 1,
            what: "every event and the resend in the auth0.events.# queue");
        Assert.Equal(
            ["auth0.events.organization.member.added", "auth0.events.session.revoked", "auth0.events.user.created", "auth0.events.user.created", "auth0.events.user.deleted", "auth0.events.user.deleted", "auth0.events.user.updated"],
            routed.Select(m => m.RoutingKey).Order(StringComparer.Ordinal));
        Assert.All(routed, m => Assert.Equal(m.RoutingKey, m.Event["name"]!.GetValue<string>()));
        Assert.True(routed.Single(m => m.Event["eventId"]!.GetValue<string>() == Id(test)).Event["isTest"]!.GetValue<bool>());
        Assert.Equal(["auth0.events.organization.member.added"], (await memberships.DrainAsync()).Select(m => m.RoutingKey));

        await Eventually.UntilAsync(() => Task.FromResult(users.Count), count => count >= 5, what: "the IAuth0UserChange consumer");
        Assert.Equal(
            new[] { signup, test, updated, deleted, deleted }.Select(Id).Order(StringComparer.Ordinal),
            users.Select(u => u.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Id(signup), Id(test) }.Order(StringComparer.Ordinal), created.Select(c => c.EventId).Order(StringComparer.Ordinal));
        Assert.True(created.Single(c => c.EventId == Id(test)).IsTest);
        Assert.Equal(Auth0EventStreamEvents.UserId, created.Single(c => c.EventId == Id(signup)).UserId);
        foreach (var cloudEvent in all)
            await Eventually.UntilAsync(() => hub.Http.GetAsync($"/v1/events/{Id(cloudEvent)}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the event in the log");
        await endpoint.ReceiveEndpoint.Stop(Cancel);
    }

    [Fact]
    public async Task Should_give_a_resent_event_the_same_message_id_on_the_broker()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = await ReadyHubAsync(settings);
        var deleted = Auth0EventStreamEvents.UserDeleted();
        await using var queue = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.events.user.deleted");

        Assert.Equal(HttpStatusCode.OK, (await hub.PostEventStreamAsync(deleted.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.PostEventStreamAsync(deleted.ToJsonString())).StatusCode);

        var received = new List<(string RoutingKey, JsonNode Event, string? MessageId)>();
        await Eventually.UntilAsync(
            async () =>
            {
                received.AddRange(await queue.DrainWithMessageIdsAsync());
                return received.Count(m => m.Event["eventId"]!.GetValue<string>() == Id(deleted));
            },
            count => count >= 2,
            what: "both deliveries of the resent event");
        var ids = received.Where(m => m.Event["eventId"]!.GetValue<string>() == Id(deleted)).Select(m => m.MessageId).ToList();
        Assert.Equal(2, ids.Count);
        Assert.NotNull(Assert.Single(ids.Distinct()));
    }

    [Fact]
    public async Task Should_route_the_articles_emit_request_by_its_event_name()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = await ReadyHubAsync(settings);
        await using var queue = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "my-first-event");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/emit")
        {
            Content = new StringContent("{\n\"event\": \"my-first-event\",\n\"payload\": {\n\"salutation\": \"Hello World!\"\n}\n}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Buildable-Secret", HubSettings.ApiKey);

        var response = await hub.Http.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>();
        var received = await Eventually.UntilAsync(() => queue.DrainAsync(), m => m.Count >= 1, what: "the event in the application's queue");
        var message = Assert.Single(received);
        Assert.Equal("my-first-event", message.RoutingKey);
        Assert.Equal(id, message.Event["eventId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_answer_503_with_retry_after_while_the_broker_is_down_and_accept_the_resend()
    {
        await using var node = await RabbitMqNode.StartAsync("eventhub-test-streams-outage");
        var settings = await HubSettings.OnRabbitMqAsync(node);
        settings["EventHub:Auth0:ConfirmTimeout"] = "00:00:03";
        await using var hub = await ReadyHubAsync(settings);
        var during = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();

        await node.StopServerAsync();
        var refused = await hub.PostEventStreamAsync(during.ToJsonString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 carries Retry-After");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        await node.StartServerAsync();
        var resent = await Eventually.UntilAsync(() => hub.PostEventStreamAsync(during.ToJsonString()), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "Auth0's resend to be accepted");
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        await Eventually.UntilAsync(() => hub.Http.GetAsync($"/v1/events/{Id(during)}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the resent event in the log");
    }

    /// <summary>The host on RabbitMQ, ready: it serves HTTP before the bus is connected and answers 503 until then.</summary>
    static async Task<EmbeddedHub> ReadyHubAsync(Dictionary<string, string> settings)
    {
        var hub = new EmbeddedHub(settings);
        try
        {
            await HubReadiness.WaitAsync(hub.Http);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    static string Id(JsonObject cloudEvent) => cloudEvent["id"]!.GetValue<string>();
}
