using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>A key holds at most <c>EventHub__Ui__MaxStreamsPerKey</c> live feeds open at once; one more is a 429 naming it, other keys unaffected.</summary>
public sealed class LiveFeedCapTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_live_feed_over_the_keys_cap_is_refused_naming_the_setting()
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Ui__MaxStreamsPerKey"] = "1";
        await using var host = await HostProcess.StartAsync(settings);
        using var ops = new UiSession(host.BaseAddress);
        using var viewer = new UiSession(host.BaseAddress);
        await ops.LoginAsync(DashboardHub.AdminKey);
        await viewer.LoginAsync(DashboardHub.ViewerKey);

        await using var open = await SseStream.OpenAsync(ops.Http, "/ui/stream");
        using var refused = await OpenAsync(ops.Http);
        await using var otherKey = await SseStream.OpenAsync(viewer.Http, "/ui/stream");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>(Cancel);
        Assert.Equal("EventHub__Ui__MaxStreamsPerKey", problem!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_cap_stops_the_host_naming_it()
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Ui__MaxStreamsPerKey"] = "0";

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("EventHub__Ui__MaxStreamsPerKey '0' is not valid: use 1 to 10000", output, StringComparison.Ordinal);
    }

    static Task<HttpResponseMessage> OpenAsync(HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/ui/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
    }
}
