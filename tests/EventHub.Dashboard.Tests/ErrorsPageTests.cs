using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// The Errors and Catalog pages on the embedded hub (in-memory transport: no readable error queues). Listing and replaying real
/// _error queues over RabbitMQ is EventHub.Integration.Tests' ErrorQueueTests, through the same API.
/// </summary>
public sealed class ErrorsPageTests(DashboardHub hub)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_says_there_is_nothing_to_replay_on_the_in_memory_transport()
    {
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);

        var html = await session.Http.GetStringAsync("/ui/errors", Cancel);

        Assert.Contains("No messages in error queues", html, StringComparison.Ordinal);
        Assert.Contains("in-memory transport", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_page_lists_the_auth0_codes_and_an_emitted_name_with_its_inferred_fields()
    {
        using var emit = await hub.Api.PostAsync("/v1/events", JsonContent.Create(new { name = "catalogpage.order.placed", payload = new { order = 42 } }), Cancel);
        emit.EnsureSuccessStatusCode();
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);

        var html = await EventHub.TestSupport.Eventually.UntilAsync(() => session.Http.GetStringAsync("/ui/catalog", Cancel), h => h.Contains("catalogpage.order.placed", StringComparison.Ordinal), what: "the emitted name on the page");

        Assert.Contains("Auth0 log types · 186", html, StringComparison.Ordinal);
        Assert.Contains("auth0.auth.login.fail.f", html, StringComparison.Ordinal);
        Assert.Contains("order: integer", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_key_may_not_replay_an_error_queue()
    {
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.ViewerKey);
        var token = await session.TokenFromAsync("/ui/errors");

        using var response = await session.PostFormAsync("/ui/errors?handler=Replay", new() { ["queue"] = "store-events_error", ["replay"] = "all", ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("scope", (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_admin_replay_of_a_queue_the_hub_does_not_have_is_refused_naming_the_queue()
    {
        using var session = new UiSession(hub.BaseAddress);
        await session.LoginAsync(DashboardHub.AdminKey);
        var token = await session.TokenFromAsync("/ui/errors");

        using var response = await session.PostFormAsync("/ui/errors?handler=Replay", new() { ["queue"] = "store-events_error", ["replay"] = "all", ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("queue", (await response.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
    }
}
