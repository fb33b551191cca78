using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Integration.Tests;

/// <summary>The retention job on the real host, with the clock in the test's hand.</summary>
public sealed class RetentionTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_delete_events_received_longer_ago_than_the_retention_and_keep_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = new EmbeddedHub(
            new() { ["EventHub:Retention:Days"] = "30" },
            services => services.AddSingleton<TimeProvider>(clock));

        var old = await EmitAsync(hub, "retention.old");
        clock.Advance(TimeSpan.FromDays(20));
        var recent = await EmitAsync(hub, "retention.recent");
        await Eventually.UntilAsync(() => hub.Http.GetAsync($"/v1/events/{recent}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the recent event stored");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/v1/events/{old}", Cancel)).StatusCode);

        clock.Advance(TimeSpan.FromDays(11));

        await Eventually.UntilAsync(() => hub.Http.GetAsync($"/v1/events/{old}", Cancel), r => r.StatusCode == HttpStatusCode.NotFound, what: "the 31-day-old event deleted");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"/v1/events/{recent}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Should_delete_settled_delivery_records_and_attempts_older_than_the_retention()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var hub = new EmbeddedHub(
            new() { ["EventHub:Listeners:RetentionDays"] = "30", ["EventHub:Listeners:AllowPrivateTargets"] = "true" },
            services => services.AddSingleton<TimeProvider>(clock));
        var registered = await hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "kept", events = new[] { "retention.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        await EmitAsync(hub, "retention.delivered");
        await Eventually.UntilAsync(() => TransactionsAsync(hub, listener), count => count == 1, what: "the delivery recorded");

        clock.Advance(TimeSpan.FromDays(31));

        await Eventually.UntilAsync(() => TransactionsAsync(hub, listener), count => count == 0, what: "the 31-day-old delivery record deleted");
    }

    static async Task<int> TransactionsAsync(EmbeddedHub hub, string listener) =>
        JsonNode.Parse(await hub.Http.GetStringAsync($"/v1/listeners/{listener}/transactions?state=succeeded", Cancel))!["items"]!.AsArray().Count;

    static async Task<string> EmitAsync(EmbeddedHub hub, string name)
    {
        var response = await hub.Http.PostAsJsonAsync("/v1/events", new { name, payload = new { } }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>();
        await Eventually.UntilAsync(() => hub.Http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"{name} stored");
        return id;
    }
}
