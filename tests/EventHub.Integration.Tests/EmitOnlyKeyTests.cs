using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Access;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>A key given only <c>emit</c> emits, and is refused (403 naming the scope) everywhere else.</summary>
public sealed class EmitOnlyKeyTests : IAsyncDisposable
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(AccessKeys.Settings());

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/v1/events", Scopes.EventsRead },
        { "GET", "/v1/events/{event}", Scopes.EventsRead },
        { "GET", "/v1/listeners", Scopes.ListenersManage },
        { "POST", "/v1/listeners", Scopes.ListenersManage },
        { "GET", "/v1/listeners/{id}", Scopes.ListenersManage },
        { "PATCH", "/v1/listeners/{id}", Scopes.ListenersManage },
        { "DELETE", "/v1/listeners/{id}", Scopes.ListenersManage },
        { "GET", "/v1/listeners/{id}/transactions", Scopes.ListenersManage },
        { "GET", "/v1/listeners/{id}/dead-letters", Scopes.ListenersManage },
        { "POST", "/v1/listeners/{id}/dead-letters/replay", Scopes.Replay },
        { "GET", "/v1/listeners/{id}/stream", Scopes.ListenersManage },
        { "POST", "/v1/listeners/{id}/transactions/{event}", Scopes.ListenersManage },
        { "GET", "/v1/auth0/backfill", Scopes.Auth0Read },
        { "POST", "/v1/auth0/backfill", Scopes.Admin },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_emit_only_key_is_refused_naming_the_missing_scope(string method, string path, string scope)
    {
        var listener = await _hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "pulled", events = new[] { "order.*" }, delivery = new { type = "pull" } }, Cancel);
        var listenerId = (await listener.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<string>();
        var eventId = await EmitAsync(_hub.Http, "order.placed");
        using var emitter = _hub.ClientWith(AccessKeys.EmitOnly);

        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", listenerId, StringComparison.Ordinal).Replace("{event}", eventId, StringComparison.Ordinal));
        if (method is "POST" or "PATCH")
            request.Content = new StringContent("""{"status": "succeeded"}""", Encoding.UTF8, "application/json");
        var response = await emitter.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!;
        Assert.Equal(scope, problem["scope"]!.GetValue<string>());
        Assert.Contains($"'{scope}'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _hub.Http.GetAsync($"/v1/listeners/{listenerId}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task An_emit_only_key_emits_under_its_own_name_on_both_emit_endpoints()
    {
        using var emitter = _hub.ClientWith(AccessKeys.EmitOnly);
        var id = await EmitAsync(emitter, "order.placed");
        var buildable = await emitter.PostAsJsonAsync("/emit", new { @event = "order.shipped", payload = new { } }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, buildable.StatusCode);
        var stored = await EventHub.TestSupport.Eventually.UntilAsync(() => _hub.Http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the event stored");
        Assert.Equal("emitter", (await stored.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["source"]!.GetValue<string>());
    }

    [Fact]
    public void Every_api_endpoint_requires_a_scope()
    {
        var endpoints = _hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/v1", StringComparison.Ordinal) || route.StartsWith("/emit", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<KeyAccess.RequiredScope>() is not null, $"{e.DisplayName} ({e.RoutePattern.RawText}) requires no scope: add .RequireScope(...)"));
    }

    internal static async Task<string> EmitAsync(HttpClient http, string name, string? id = null)
    {
        var response = await http.PostAsJsonAsync("/v1/events", new { name, payload = new { }, id }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["ids"]![0]!.GetValue<string>();
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
