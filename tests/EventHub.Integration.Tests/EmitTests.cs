using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts.Events;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>POST /v1/events and the event log queries on the real host (in-memory bus, SQLite).</summary>
public sealed class EmitTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Should_accept_an_event_store_it_and_find_it_by_id_and_by_pattern()
    {
        var response = await EmitAsync("""{"name":"order.placed","payload":{"order":42,"total":"19.90", "items" : [1,2]},"time":"2026-11-20T08:00:00Z"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray())!.GetValue<string>();
        var published = Assert.Single(_hub.Recorder.Messages<EmittedEvent>());
        Assert.Equal(id, published.EventId);
        Assert.Equal("order.placed", published.Name);
        Assert.Equal(HubSettings.ApiKeyName, published.Source);
        Assert.Equal("""{"order":42,"total":"19.90", "items" : [1,2]}""", published.Payload);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), published.OccurredAt);

        var stored = await Eventually.UntilAsync(() => _hub.Http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the stored event");
        var json = await stored.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("""
            "payload":{"order":42,"total":"19.90", "items" : [1,2]}
            """.Trim(), json, StringComparison.Ordinal);

        var page = await QueryAsync("?name=order.*");
        Assert.Equal([id], page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Empty((await QueryAsync("?name=order"))["items"]!.AsArray());
        Assert.Single((await QueryAsync("?name=%23"))["items"]!.AsArray());
        Assert.Single((await QueryAsync("?source=tests&since=2026-11-20T07:00:00Z&until=2026-11-20T09:00:00Z"))["items"]!.AsArray());
        Assert.Empty((await QueryAsync("?since=2026-11-20T08:00:01Z"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Should_page_through_the_log_with_an_opaque_cursor_in_a_stable_order()
    {
        var batch = new JsonArray([.. Enumerable.Range(0, 25).Select(i => (JsonNode)new JsonObject { ["name"] = i % 2 == 0 ? "page.even" : "page.odd.x", ["payload"] = i })]);
        var response = await EmitAsync(batch.ToJsonString());
        var ids = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
        await Eventually.UntilAsync(() => QueryAsync("?name=page.%23&limit=1000"), p => p["items"]!.AsArray().Count == 25, what: "25 stored events");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await QueryAsync($"?name=page.%23&limit=10{(cursor is null ? "" : "&after=" + cursor)}");
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(25, seen.Distinct().Count());
        var odd = await QueryAsync("?name=page.odd.*&limit=5");
        Assert.Equal(5, odd["items"]!.AsArray().Count);
        Assert.NotNull(odd["next"]);
        Assert.All(odd["items"]!.AsArray(), i => Assert.Equal("page.odd.x", i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Should_publish_and_store_an_id_emitted_twice_once_and_return_the_same_ids()
    {
        const string body = """{"id":"order-7-placed","name":"order.placed","payload":{"order":7}}""";
        var first = await EmitAsync(body);
        var second = await EmitAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await second.Content.ReadAsStringAsync(Cancel));
        Assert.Single(_hub.Recorder.Messages<EmittedEvent>());

        var keyed1 = await EmitAsync("""[{"name":"invoice.sent","payload":1},{"name":"invoice.sent","payload":2}]""", idempotencyKey: "req-123");
        var keyed2 = await EmitAsync("""[{"name":"invoice.sent","payload":1},{"name":"invoice.sent","payload":2}]""", idempotencyKey: "req-123");
        Assert.Equal(await keyed1.Content.ReadAsStringAsync(Cancel), await keyed2.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(3, _hub.Recorder.Messages<EmittedEvent>().Count);
    }

    [Fact]
    public async Task Should_publish_once_when_many_requests_emit_the_same_id_at_the_same_time()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => EmitAsync("""{"id":"race-1","name":"race.run","payload":{}}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(_hub.Recorder.Messages<EmittedEvent>());
        var stored = await Eventually.UntilAsync(() => QueryAsync("?name=race.run"), p => p["items"]!.AsArray().Count > 0, what: "the stored event");
        Assert.Single(stored["items"]!.AsArray());
    }

    [Fact]
    public async Task Should_accept_cloudevents_single_and_batch()
    {
        var single = await EmitAsync(
            """{"specversion":"1.0","type":"user.created","source":"/crm","id":"ce-1","time":"2026-11-20T08:00:00Z","datacontenttype":"application/json","data":{"user":"u1"}}""",
            contentType: "application/cloudevents+json");
        var batch = await EmitAsync(
            """[{"specversion":"1.0","type":"user.updated","source":"/crm","id":"ce-2"},{"specversion":"1.0","type":"user.deleted","source":"/crm","id":"ce-3","data":[1]}]""",
            contentType: "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        var published = _hub.Recorder.Messages<EmittedEvent>();
        Assert.Equal(["ce-1", "ce-2", "ce-3"], published.Select(e => e.EventId));
        Assert.Equal(["user.created", "user.updated", "user.deleted"], published.Select(e => e.Name));
        Assert.Equal(["""{"user":"u1"}""", "null", "[1]"], published.Select(e => e.Payload));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), published[0].OccurredAt);
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "upper-case name", "application/json", """{"name":"Order.Placed","payload":{}}""", HttpStatusCode.BadRequest, "name" },
        { "empty word", "application/json", """{"name":"order..placed","payload":{}}""", HttpStatusCode.BadRequest, "name" },
        { "space in name", "application/json", """{"name":"order placed","payload":{}}""", HttpStatusCode.BadRequest, "name" },
        { "name too long", "application/json", "{\"name\":\"" + new string('a', 256) + "\",\"payload\":{}}", HttpStatusCode.BadRequest, "name" },
        { "name not a string", "application/json", """{"name":5,"payload":{}}""", HttpStatusCode.BadRequest, "name" },
        { "reserved prefix", "application/json", """{"name":"auth0.auth.login.fail.f","payload":{}}""", HttpStatusCode.BadRequest, "name" },
        { "missing payload", "application/json", """{"name":"order.placed"}""", HttpStatusCode.BadRequest, "payload" },
        { "not json", "application/json", """name=order.placed""", HttpStatusCode.BadRequest, "body" },
        { "truncated", "application/json", """{"name":"order.placed","payload":{""", HttpStatusCode.BadRequest, "body" },
        { "a number", "application/json", "42", HttpStatusCode.BadRequest, "body" },
        { "empty array", "application/json", "[]", HttpStatusCode.BadRequest, "body" },
        { "bad time", "application/json", """{"name":"a.b","payload":1,"time":"yesterday"}""", HttpStatusCode.BadRequest, "time" },
        { "bad id", "application/json", """{"name":"a.b","payload":1,"id":42}""", HttpStatusCode.BadRequest, "id" },
        { "one bad element of a batch", "application/json", """[{"name":"a.b","payload":1},{"name":"A","payload":2},{"name":"c.d","payload":3}]""", HttpStatusCode.BadRequest, "[1].name" },
        { "element not an object", "application/json", """[{"name":"a.b","payload":1},"x"]""", HttpStatusCode.BadRequest, "[1]" },
        { "payload too large", "application/json", "{\"name\":\"a.b\",\"payload\":\"" + new string('x', 300 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, "payload" },
        { "cloudevent without specversion", "application/cloudevents+json", """{"type":"a.b","source":"/x","id":"1"}""", HttpStatusCode.BadRequest, "specversion" },
        { "cloudevent without id", "application/cloudevents+json", """{"specversion":"1.0","type":"a.b","source":"/x"}""", HttpStatusCode.BadRequest, "id" },
        { "cloudevent with a bad type", "application/cloudevents+json", """{"specversion":"1.0","type":"com.Example.Thing","source":"/x","id":"1"}""", HttpStatusCode.BadRequest, "type" },
        { "cloudevent binary data", "application/cloudevents+json", """{"specversion":"1.0","type":"a.b","source":"/x","id":"1","data_base64":"AAEC"}""", HttpStatusCode.BadRequest, "data_base64" },
        { "cloudevents batch not an array", "application/cloudevents-batch+json", """{"specversion":"1.0","type":"a.b","source":"/x","id":"1"}""", HttpStatusCode.BadRequest, "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Should_reject_bad_input_naming_the_field_and_publish_nothing(string what, string contentType, string body, HttpStatusCode expected, string field)
    {
        var response = await EmitAsync(body, contentType: contentType);

        Assert.True(expected == response.StatusCode, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_refuse_an_oversized_request_a_missing_key_and_a_wrong_key()
    {
        var many = new JsonArray([.. Enumerable.Range(0, 40).Select(_ => (JsonNode)new JsonObject { ["name"] = "a.b", ["payload"] = new string('x', 200 * 1024) })]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await EmitAsync(many.ToJsonString())).StatusCode);

        using var noKey = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent("""{"name":"a.b","payload":1}""", Encoding.UTF8, "application/json") };
        noKey.Headers.Add("X-EventHub-Key", "not-a-key");
        var wrong = await _hub.Http.SendAsync(noKey, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);

        using var anonymous = new HttpClient { BaseAddress = _hub.Http.BaseAddress };
        var bearer = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent("""{"name":"a.b","payload":1}""", Encoding.UTF8, "application/json") };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubSettings.ApiKey);
        bearer.Headers.Add("X-EventHub-Key", "");
        Assert.Equal(HttpStatusCode.Accepted, (await _hub.Http.SendAsync(bearer, Cancel)).StatusCode);
        Assert.Single(_hub.Recorder.Published);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "?name=Order.*", "name" },
        { "?name=order..x", "name" },
        { "?limit=0", "limit" },
        { "?limit=1001", "limit" },
        { "?limit=ten", "limit" },
        { "?since=yesterday", "since" },
        { "?after=not-a-cursor", "after" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Should_reject_a_bad_query_naming_the_parameter(string query, string field)
    {
        var response = await _hub.Http.GetAsync("/v1/events" + query, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
    }

    async Task<HttpResponseMessage> EmitAsync(string body, string contentType = "application/json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _hub.Http.SendAsync(request, Cancel);
    }

    async Task<JsonNode> QueryAsync(string query)
    {
        var response = await _hub.Http.GetAsync("/v1/events" + query, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
    }
}
