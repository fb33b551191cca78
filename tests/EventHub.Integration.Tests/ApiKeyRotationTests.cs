using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Rotating an API key without downtime: two secrets under one name, both valid, the source unchanged.</summary>
public sealed class ApiKeyRotationTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_accept_every_secret_of_a_key_during_rotation_and_emit_under_the_same_source()
    {
        await using var hub = new EmbeddedHub(new()
        {
            ["EventHub:Keys:billing:0"] = "billing-old-secret-0123456789abcdef",
            ["EventHub:Keys:billing:1"] = "billing-new-secret-0123456789abcdef",
            ["EventHub:Keys:billing:Scopes:0"] = "emit",
            ["EventHub:Keys:billing:Scopes:1"] = "events:read",
        });

        var sources = new List<string>();
        foreach (var secret in new[] { "billing-old-secret-0123456789abcdef", "billing-new-secret-0123456789abcdef" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new { name = "invoice.sent", payload = new { } }) };
            request.Headers.Add("X-EventHub-Key", secret);
            var response = await hub.Http.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>();
            var stored = await Eventually.UntilAsync(
                async () => await hub.Http.GetAsync($"/v1/events/{id}", Cancel),
                r => r.StatusCode == HttpStatusCode.OK,
                what: $"event {id} stored");
            sources.Add(JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!["source"]!.GetValue<string>());
        }

        Assert.Equal(["billing", "billing"], sources);
        using var unknown = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new { name = "invoice.sent", payload = new { } }) };
        unknown.Headers.Add("X-EventHub-Key", "billing-older-secret-0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(unknown, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Should_refuse_to_start_with_an_empty_secret_among_several_naming_it()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Keys__billing__0"] = "billing-old-secret-0123456789abcdef";
        settings["EventHub__Keys__billing__1"] = " ";
        settings["EventHub__Keys__billing__Scopes__0"] = "emit";

        var (exitCode, output) = await EventHub.TestSupport.HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains("EventHub cannot start: EventHub__Keys__billing__1 is empty", output, StringComparison.Ordinal);
    }
}
