using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>A key holds at most <c>EventHub__Listeners__MaxStreamsPerKey</c> pull streams open at once; one more is a 429 naming it.</summary>
public sealed class PullStreamCapTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stream_over_the_keys_cap_is_refused_naming_the_setting_until_one_closes()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Listeners__MaxStreamsPerKey"] = "2";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);
        using var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "capped-pull", events = new[] { "capped.*" }, delivery = new { type = "pull" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var path = $"/v1/listeners/{(await registered.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["id"]!.GetValue<string>()}/stream";

        var first = await OpenAsync(http, path);
        using var second = await OpenAsync(http, path);
        using var third = await OpenAsync(http, path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        var problem = await third.Content.ReadFromJsonAsync<JsonObject>(Cancel);
        Assert.Equal("EventHub__Listeners__MaxStreamsPerKey", problem!["field"]!.GetValue<string>());
        Assert.Contains("EventHub__Listeners__MaxStreamsPerKey", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        first.Dispose();
        // The hub frees the slot when it sees the connection go, a moment after the client closes it.
        using var again = await Eventually.UntilAsync(
            async () =>
            {
                var response = await OpenAsync(http, path);
                if (response.StatusCode != HttpStatusCode.OK)
                    response.Dispose();
                return response;
            },
            response => response.StatusCode == HttpStatusCode.OK,
            what: "a stream to open again once one closed");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public async Task A_bad_cap_stops_the_host_naming_it(string value)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Listeners__MaxStreamsPerKey"] = value;

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains($"EventHub__Listeners__MaxStreamsPerKey '{value}' is not valid: use 1 to 10000", output, StringComparison.Ordinal);
    }

    static Task<HttpResponseMessage> OpenAsync(HttpClient http, string path) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, Cancel);
}
