using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>A pull listener's endpoint is stopped while no stream is open: that is its resting state, not a sick bus.</summary>
public sealed class PullListenerReadinessTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_stay_ready_with_a_pull_listener_that_has_no_stream_open_and_after_its_patterns_change()
    {
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__SyncInterval"] = "00:00:00.500";
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        using var registered = await http.PostAsync("/v1/listeners", new StringContent("""{"name":"idle-pull","events":["order.*"],"delivery":{"type":"pull"}}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        await host.WaitForOutputAsync($"Delivering to listener {id}");
        using var patched = await http.PatchAsync($"/v1/listeners/{id}", new StringContent("""{"events":["order.*","invoice.*"]}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        // Two sync rounds after the change (the marker): had the stopped endpoint counted as degraded, ready would say so by now.
        using var emitted = await http.PostAsync("/v1/events", new StringContent("""{"name":"order.placed","payload":{}}""", Encoding.UTF8, "application/json"), Cancel);
        await Eventually.UntilAsync(async () => (await http.GetStringAsync($"/v1/listeners/{id}", Cancel)).Contains("\"queueDepth\":1", StringComparison.Ordinal), held => held, what: "the event held in the idle pull listener's queue");
        var ready = await Eventually.UntilAsync(async () => await http.GetAsync("/health/ready", Cancel), response => response.StatusCode == HttpStatusCode.OK, what: "ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
