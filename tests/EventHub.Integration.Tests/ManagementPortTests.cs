using System.Net;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// <c>EventHub__Management__Port</c> on the real host process: the scrape, the probes and the API description move to that
/// port and the public one answers 404 for them, while the API and the dashboard stay on the public port.
/// </summary>
public sealed class ManagementPortTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static readonly string[] ManagementPaths = ["/metrics", "/health", "/health/live", "/health/ready", "/docs", "/openapi/v1.json"];

    [Fact]
    public async Task The_management_paths_answer_only_on_the_management_port()
    {
        var managementPort = FreePort.Next();
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Management__Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var host = await HostProcess.StartAsync(settings);
        using var publicHttp = new HttpClient { BaseAddress = host.BaseAddress };
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}") };
        publicHttp.DefaultRequestHeaders.Add("X-EventHub-Key", HubSettings.ApiKey);
        management.DefaultRequestHeaders.Add("X-EventHub-Key", HubSettings.ApiKey);

        foreach (var path in ManagementPaths)
        {
            // /health/ready turns 200 once the bus has started, shortly after the host listens.
            await Eventually.UntilAsync(() => StatusAsync(management, path), status => status == HttpStatusCode.OK, what: $"{path} on the management port to answer 200");
            using var onPublic = await publicHttp.GetAsync(path, Cancel);
            Assert.True(onPublic.StatusCode == HttpStatusCode.NotFound, $"{path} on the public port answered {(int)onPublic.StatusCode}");
            Assert.Equal("application/problem+json", onPublic.Content.Headers.ContentType?.MediaType);
        }

        using var events = await publicHttp.GetAsync("/v1/events", Cancel);
        using var eventsOnManagement = await management.GetAsync("/v1/events", Cancel);
        using var loginPage = await publicHttp.GetAsync("/ui/login", Cancel);
        using var loginOnManagement = await management.GetAsync("/ui/login", Cancel);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eventsOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, loginOnManagement.StatusCode);
    }

    [Fact]
    public async Task Without_a_management_port_everything_stays_on_the_public_port()
    {
        await using var host = await HostProcess.StartAsync(HubSettings.Embedded().AsEnvironment());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        foreach (var path in ManagementPaths)
            await Eventually.UntilAsync(() => StatusAsync(http, path), status => status == HttpStatusCode.OK, what: $"{path} to answer 200");
    }

    static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Cancel);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("0", "'0' is not valid: use a TCP port from 1 to 65535")]
    [InlineData("metrics", "'metrics' is not valid: use a TCP port from 1 to 65535")]
    [InlineData("70000", "'70000' is not valid")]
    public async Task A_bad_management_port_stops_the_host_naming_the_setting(string value, string message)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Management__Port"] = value;

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains($"EventHub cannot start: EventHub__Management__Port {message}", output, StringComparison.Ordinal);
    }
}
