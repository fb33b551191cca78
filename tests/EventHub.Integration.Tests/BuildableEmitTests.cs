using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts.Events;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// POST /emit, the Buildable-style alias of POST /v1/events, on the real host (in-memory bus, SQLite), sent exactly as
/// the curl command of the seed article (../shared/seeds/buildable-events-go-sdk.txt) sends it.
/// </summary>
public sealed class BuildableEmitTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    // The article's --data, byte for byte (its line breaks, no indentation).
    const string ArticleBody = "{\n\"event\": \"my-first-event\",\n\"payload\": {\n\"salutation\": \"Hello World!\"\n}\n}";

    readonly EmbeddedHub _hub = new();

    public ValueTask InitializeAsync()
    {
        // Buildable senders know only their own header.
        _hub.Http.DefaultRequestHeaders.Remove("X-EventHub-Key");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Should_accept_the_articles_curl_request_unchanged_and_store_the_event()
    {
        var response = await EmitAsync(ArticleBody);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray())!.GetValue<string>();
        var published = Assert.Single(_hub.Recorder.Messages<EmittedEvent>());
        Assert.Equal(id, published.EventId);
        Assert.Equal("my-first-event", published.Name);
        Assert.Equal(HubSettings.ApiKeyName, published.Source);
        Assert.Equal("{\n\"salutation\": \"Hello World!\"\n}", published.Payload);

        var stored = await Eventually.UntilAsync(() => GetWithKeyAsync($"/v1/events/{id}"), r => r.StatusCode == HttpStatusCode.OK, what: "the stored event");
        var json = JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal("my-first-event", json["name"]!.GetValue<string>());
        Assert.Equal("Hello World!", json["payload"]!["salutation"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_publish_a_retry_with_the_same_id_or_idempotency_key_once()
    {
        const string withId = """{"event": "order.placed", "payload": {"order": 7}, "id": "order-7-placed"}""";
        var first = await EmitAsync(withId);
        var again = await EmitAsync(withId);
        var keyed = await EmitAsync("""{"event": "order.paid", "payload": {"order": 7}}""", idempotencyKey: "pay-7");
        var keyedAgain = await EmitAsync("""{"event": "order.paid", "payload": {"order": 7}}""", idempotencyKey: "pay-7");

        Assert.All(new[] { first, again, keyed, keyedAgain }, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await again.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(await keyed.Content.ReadAsStringAsync(Cancel), await keyedAgain.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(["order.placed", "order.paid"], _hub.Recorder.Messages<EmittedEvent>().Select(e => e.Name));
    }

    [Fact]
    public async Task Should_take_a_batch_of_buildable_events()
    {
        var response = await EmitAsync("""[{"event": "a.one", "payload": 1}, {"event": "a.two", "payload": {"x": true}, "time": "2026-11-20T08:00:00Z"}]""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["a.one", "a.two"], _hub.Recorder.Messages<EmittedEvent>().Select(e => e.Name));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), _hub.Recorder.Messages<EmittedEvent>()[1].OccurredAt);
    }

    public static TheoryData<string, HttpStatusCode, string> BadBodies => new()
    {
        { """{"payload": {"a": 1}}""", HttpStatusCode.BadRequest, "event" },
        { """{"name": "order.placed", "payload": {"a": 1}}""", HttpStatusCode.BadRequest, "event" },
        { """{"event": "My First Event", "payload": {}}""", HttpStatusCode.BadRequest, "event" },
        { """{"event": "auth0.user.created", "payload": {}}""", HttpStatusCode.BadRequest, "event" },
        { """{"event": "my-first-event"}""", HttpStatusCode.BadRequest, "payload" },
        { """{"event": "my-first-event", "payload": {}, "time": "soon"}""", HttpStatusCode.BadRequest, "time" },
        { """{"event": "my-first-event", "payload": """, HttpStatusCode.BadRequest, "body" },
        { """[{"event": "a.b", "payload": 1}, {"event": "a.b"}]""", HttpStatusCode.BadRequest, "[1].payload" },
        { "{\"event\": \"big\", \"payload\": \"" + new string('x', 300 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, "payload" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Should_reject_bad_shapes_like_v1_events_naming_the_field(string body, HttpStatusCode status, string field)
    {
        var response = await EmitAsync(body);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_refuse_a_missing_or_wrong_secret_naming_the_buildable_header()
    {
        var missing = await EmitAsync(ArticleBody, secret: null);
        var wrong = await EmitAsync(ArticleBody, secret: "SECRET");

        foreach (var response in new[] { missing, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("X-Buildable-Secret", JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        }

        Assert.Empty(_hub.Recorder.Published);
    }

    async Task<HttpResponseMessage> EmitAsync(string body, string? secret = HubSettings.ApiKey, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/emit") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
            request.Headers.Add("X-Buildable-Secret", secret);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _hub.Http.SendAsync(request, Cancel);
    }

    /// <summary>The same key works on /v1, in the hub's own header.</summary>
    async Task<HttpResponseMessage> GetWithKeyAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-EventHub-Key", HubSettings.ApiKey);
        return await _hub.Http.SendAsync(request, Cancel);
    }
}
