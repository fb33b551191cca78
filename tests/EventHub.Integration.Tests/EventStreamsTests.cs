using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>POST /webhooks/auth0/events on the real host (in-memory bus, SQLite): Auth0 Event Streams payloads written from the public schema.</summary>
public sealed class EventStreamsTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(new()
    {
        ["EventHub:Listeners:AllowPrivateTargets"] = "true",
        ["EventHub:Listeners:RetryPollInterval"] = "00:00:00.100",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Should_publish_each_event_as_its_typed_contract_named_by_type_and_store_it()
    {
        var signup = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        var updated = Auth0EventStreamEvents.UserUpdated("Jane Q. Doe", "2026-11-20T11:00:00.000Z");
        var deleted = Auth0EventStreamEvents.UserDeleted();
        var member = Auth0EventStreamEvents.OrganizationMemberAdded();
        var unknown = Auth0EventStreamEvents.Unknown();

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(signup.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(updated.ToJsonString(), contentType: "application/json")).StatusCode);
        var batch = await _hub.PostEventStreamAsync(Auth0EventStreamEvents.Batch(deleted, member, unknown), contentType: "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(3, JsonNode.Parse(await batch.Content.ReadAsStringAsync(Cancel))!["accepted"]!.GetValue<int>());

        var published = _hub.Recorder.Messages<IAuth0ChangeEvent>();
        Assert.Collection(published,
            e => { Assert.IsType<Auth0UserCreated>(e); Assert.Equal("auth0.events.user.created", e.Name); },
            e => { Assert.IsType<Auth0UserUpdated>(e); Assert.Equal("auth0.events.user.updated", e.Name); },
            e => { Assert.IsType<Auth0UserDeleted>(e); Assert.Equal("auth0.events.user.deleted", e.Name); },
            e => { Assert.IsType<Auth0OrganizationMemberAdded>(e); Assert.Equal(Auth0EventStreamEvents.OrganizationId, e.OrganizationId); },
            e => { Assert.IsType<Auth0UnknownChangeEvent>(e); Assert.Equal("auth0.events.session.revoked", e.Name); });
        Assert.Equal(new[] { signup, updated, deleted, member, unknown }.Select(Id), published.Select(e => e.EventId));

        foreach (var cloudEvent in new[] { signup, updated, deleted, member, unknown })
        {
            var stored = await StoredAsync(Id(cloudEvent));
            Assert.Equal("auth0.events." + cloudEvent["type"]!.GetValue<string>(), stored["name"]!.GetValue<string>());
            Assert.Equal("auth0:example-tenant", stored["source"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(cloudEvent, stored["payload"]), "the event log keeps the CloudEvent as Auth0 sent it");
        }

        var page = JsonNode.Parse(await _hub.Http.GetStringAsync("/v1/events?name=auth0.events.user.*", Cancel))!;
        Assert.Equal(3, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Should_flag_a_test_event_and_deliver_it_to_listeners_like_a_real_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var registered = await _hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "users", events = new[] { "auth0.events.user.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        receiver.Secret = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!["secret"]!.GetValue<string>();
        var test = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(purpose: "test");

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(test.ToJsonString())).StatusCode);

        var published = Assert.Single(_hub.Recorder.Messages<Auth0UserCreated>());
        Assert.True(published.IsTest);
        Assert.Equal("test", published.Purpose);
        var delivery = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.ToList()), r => r.Count >= 1, what: "the test event at the listener");
        var received = Assert.Single(delivery);
        Assert.True(received.SignatureValid);
        Assert.Equal(Id(test), received.WebhookId);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal("auth0.events.user.created", body["name"]!.GetValue<string>());
        Assert.Equal("test", body["payload"]!["a0purpose"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_give_a_resent_event_the_same_message_id_and_store_it_once()
    {
        var deleted = Auth0EventStreamEvents.UserDeleted();

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(deleted.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(deleted.ToJsonString())).StatusCode);
        var marker = Auth0EventStreamEvents.Unknown("marker.sent");
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(marker.ToJsonString())).StatusCode);

        var resent = _hub.Recorder.Published.Where(p => ((IHubEvent)p.Message).EventId == Id(deleted)).ToList();
        Assert.Equal(2, resent.Count);
        Assert.Single(resent.Select(p => p.MessageId).Distinct());
        Assert.NotEqual(resent[0].MessageId, _hub.Recorder.Published.Single(p => ((IHubEvent)p.Message).EventId == Id(marker)).MessageId);
        await StoredAsync(Id(marker));
        await StoredAsync(Id(deleted));
        var page = JsonNode.Parse(await _hub.Http.GetStringAsync("/v1/events?name=auth0.events.user.deleted", Cancel))!;
        Assert.Single(page["items"]!.AsArray());
    }

    [Fact]
    public async Task Should_accept_out_of_order_updates_and_let_a_latest_wins_consumer_keep_the_newer()
    {
        var latest = new ConcurrentDictionary<string, IAuth0UserChange>();
        var seen = new ConcurrentBag<string>();
        var connector = _hub.Services.GetRequiredService<IReceiveEndpointConnector>();
        var endpoint = connector.ConnectReceiveEndpoint($"latest-users-{Guid.NewGuid():N}"[..24], (_, cfg) =>
            cfg.Handler<IAuth0UserChange>(context =>
            {
                var change = context.Message;
                latest.AddOrUpdate(change.UserId!, change, (_, kept) => change.Time > kept.Time ? change : kept);
                seen.Add(change.EventId);
                return Task.CompletedTask;
            }));
        await endpoint.Ready.WaitAsync(Eventually.DefaultLimit, Cancel);
        var newer = Auth0EventStreamEvents.UserUpdated("Jane Newer", "2026-11-21T09:00:05.000Z");
        var older = Auth0EventStreamEvents.UserUpdated("Jane Older", "2026-11-21T09:00:01.000Z");

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(newer.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostEventStreamAsync(older.ToJsonString())).StatusCode);

        await Eventually.UntilAsync(() => Task.FromResult(seen.Count), count => count >= 2, what: "both updates at the consumer");
        var kept = latest[Auth0EventStreamEvents.UserId];
        Assert.Equal(Id(newer), kept.EventId);
        Assert.Contains("Jane Newer", kept.Data, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 0, 5, TimeSpan.Zero), kept.Time);
        await StoredAsync(Id(older));
        await endpoint.ReceiveEndpoint.Stop(Cancel);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { Without("id"), "application/cloudevents+json", "id" },
        { Without("type"), "application/cloudevents+json", "type" },
        { Without("specversion"), "application/cloudevents+json", "specversion" },
        { With("specversion", "0.3"), "application/json", "specversion" },
        { "{\"specversion\":\"1.0\", \"id\": ", "application/cloudevents+json", "body" },
        { "[" + Auth0EventStreamEvents.UserDeleted().ToJsonString() + "," + Without("id") + "]", "application/cloudevents-batch+json", "[1].id" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Should_reject_a_bad_body_with_a_problem_naming_the_field_and_publish_nothing(string body, string contentType, string field)
    {
        var response = await _hub.PostEventStreamAsync(body, contentType: contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response, field);
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_refuse_wrong_tokens_oversized_bodies_and_other_media_types()
    {
        var body = Auth0EventStreamEvents.UserDeleted().ToJsonString();

        await AssertProblemAsync(await _hub.PostEventStreamAsync(body, token: null), "Authorization", HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await _hub.PostEventStreamAsync(body, token: "wrong"), "Authorization", HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await _hub.PostEventStreamAsync(body, token: HubSettings.Auth0Token), "Authorization", HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await _hub.PostEventStreamAsync(body, contentType: "text/plain"), "Content-Type", HttpStatusCode.UnsupportedMediaType);
        var huge = Auth0EventStreamEvents.Event("user.updated", new JsonObject { ["user_id"] = "auth0|1", ["user_metadata"] = new JsonObject { ["blob"] = new string('x', 1024 * 1024) } });
        await AssertProblemAsync(await _hub.PostEventStreamAsync(huge.ToJsonString()), "body", HttpStatusCode.RequestEntityTooLarge);

        using var gzipLie = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0/events") { Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json") };
        gzipLie.Headers.TryAddWithoutValidation("Authorization", $"Bearer {HubSettings.EventStreamsToken}");
        gzipLie.Content.Headers.ContentEncoding.Add("br");
        await AssertProblemAsync(await _hub.Http.SendAsync(gzipLie, Cancel), "Content-Encoding", HttpStatusCode.UnsupportedMediaType);
        Assert.Empty(_hub.Recorder.Published);
    }

    static async Task AssertProblemAsync(HttpResponseMessage response, string field, HttpStatusCode? status = null)
    {
        var text = await response.Content.ReadAsStringAsync(Cancel);
        if (status is not null)
            Assert.True(status == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonNode.Parse(text)!["field"]!.GetValue<string>());
    }

    async Task<JsonNode> StoredAsync(string id)
    {
        var response = await Eventually.UntilAsync(() => _hub.Http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"event {id} in the event log");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
    }

    static string Id(JsonObject cloudEvent) => cloudEvent["id"]!.GetValue<string>();

    static string Without(string attribute)
    {
        var cloudEvent = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        cloudEvent.Remove(attribute);
        return cloudEvent.ToJsonString();
    }

    static string With(string attribute, JsonNode value)
    {
        var cloudEvent = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        cloudEvent[attribute] = value;
        return cloudEvent.ToJsonString();
    }
}
