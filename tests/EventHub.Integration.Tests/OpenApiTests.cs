using System.Net;
using System.Text.Json.Nodes;

namespace EventHub.Integration.Tests;

public sealed class OpenApiTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Should_describe_every_endpoint_with_examples_and_the_api_key()
    {
        var response = await _hub.Http.GetAsync("/openapi/v1.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        var paths = document["paths"]!.AsObject();
        Assert.Contains("/webhooks/auth0", paths.Select(p => p.Key));
        Assert.Contains("/v1/events", paths.Select(p => p.Key));
        Assert.Contains("/v1/events/{id}", paths.Select(p => p.Key));
        var emit = paths["/v1/events"]!["post"]!;
        Assert.Equal("order.placed", emit["requestBody"]!["content"]!["application/json"]!["example"]!["name"]!.GetValue<string>());
        Assert.Equal("1.0", emit["requestBody"]!["content"]!["application/cloudevents+json"]!["example"]!["specversion"]!.GetValue<string>());
        Assert.NotNull(emit["responses"]!["400"]);
        Assert.NotNull(paths["/webhooks/auth0"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);
        Assert.Equal("X-EventHub-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_describe_the_drop_in_endpoints_with_examples()
    {
        var document = JsonNode.Parse(await _hub.Http.GetStringAsync("/openapi/v1.json", Cancel))!;

        var streams = document["paths"]!["/webhooks/auth0/events"]!["post"]!;
        var cloudEvent = streams["requestBody"]!["content"]!["application/cloudevents+json"]!["example"]!;
        Assert.Equal("user.created", cloudEvent["type"]!.GetValue<string>());
        Assert.StartsWith("evt_", cloudEvent["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(streams["requestBody"]!["content"]!["application/cloudevents-batch+json"]!["example"]![0]);
        Assert.NotNull(streams["responses"]!["400"]);
        Assert.NotNull(streams["responses"]!["503"]);

        var emit = document["paths"]!["/emit"]!["post"]!;
        Assert.Equal("my-first-event", emit["requestBody"]!["content"]!["application/json"]!["example"]!["event"]!.GetValue<string>());
        Assert.Contains(emit["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "X-Buildable-Secret" && p["in"]!.GetValue<string>() == "header");
        Assert.NotNull(emit["responses"]!["202"]);
        Assert.NotNull(emit["responses"]!["400"]);
    }

    [Fact]
    public async Task Should_document_a_503_with_retry_after_on_every_operation_since_any_may_find_the_database_away()
    {
        var document = JsonNode.Parse(await _hub.Http.GetStringAsync("/openapi/v1.json", Cancel))!;

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete").Select(o => (Name: $"{o.Key} {path.Key}", Operation: o.Value!)))
            .ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, o => Assert.True(o.Operation["responses"]?["503"] is not null, $"{o.Name} documents 503"));
        Assert.NotNull(document["paths"]!["/v1/events/{id}"]!["get"]!["responses"]!["503"]!["headers"]!["Retry-After"]);
    }

    [Fact]
    public async Task Should_describe_the_listener_bodies_field_by_field_refusing_others()
    {
        var paths = JsonNode.Parse(await _hub.Http.GetStringAsync("/openapi/v1.json", Cancel))!["paths"]!;

        var register = paths["/v1/listeners"]!["post"]!["requestBody"]!["content"]!["application/json"]!;
        var patch = paths["/v1/listeners/{id}"]!["patch"]!["requestBody"]!["content"]!["application/json"]!;
        var test = paths["/v1/filters/test"]!["post"]!["requestBody"]!["content"]!["application/json"]!;

        Assert.Contains("$cidr", register["schema"]!["properties"]!["filter"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(register["schema"]!["additionalProperties"]!.GetValue<bool>());
        Assert.NotNull(register["example"]!["filter"]);
        Assert.NotNull(patch["schema"]!["properties"]!["filter"]);
        Assert.NotNull(register["schema"]!["properties"]!["redact"]!["properties"]!["preset"]);
        Assert.NotNull(patch["schema"]!["properties"]!["rateLimit"]!["properties"]!["perSecond"]);
        Assert.NotNull(paths["/v1/listeners/{id}/resume"]!["post"]);
        Assert.Null(patch["schema"]!["properties"]!["name"]);
        Assert.NotNull(test["schema"]!["properties"]!["eventId"]);
    }

    [Fact]
    public async Task Should_serve_a_browsable_reference_without_a_key()
    {
        _hub.Http.DefaultRequestHeaders.Remove("X-EventHub-Key");
        var response = await _hub.Http.GetAsync("/docs/v1", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var script = await _hub.Http.GetAsync("/docs/scalar.js", Cancel);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(Cancel)).Length > 10_000, "the UI's script ships with the host: nothing is fetched from the internet");
    }
}
