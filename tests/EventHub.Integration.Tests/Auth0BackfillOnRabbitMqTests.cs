using System.Net;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>The backfill in the production shape: two host processes on one RabbitMQ and one PostgreSQL database.</summary>
public sealed class Auth0BackfillOnRabbitMqTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_let_one_of_two_copies_pull_each_page_once_and_publish_each_entry_once()
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        foreach (var (key, value) in auth0.Settings("Poll"))
            settings[key] = value;
        settings["EventHub:Auth0:Backfill:PollInterval"] = "00:00:01";
        settings["EventHub:Auth0:Backfill:PageSize"] = "20";
        await using var first = await HostProcess.StartAsync(settings.AsEnvironment());
        await using var second = await HostProcess.StartAsync(settings.AsEnvironment());
        await Task.WhenAll(first.WaitForOutputAsync("Bus started: rabbitmq://"), second.WaitForOutputAsync("Bus started: rabbitmq://"));
        await using var queue = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.#");
        using var http = HubSettings.ClientFor(first);

        var records = FakeAuth0.Entries(200);
        var streamed = records.Where((_, i) => i % 10 == 3).ToList();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(Auth0Entries.JsonArray(streamed)) })
        {
            request.Headers.TryAddWithoutValidation("Authorization", HubSettings.Auth0Token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request, Cancel)).StatusCode);
        }

        auth0.Add(records);
        var lastId = records[^1]["log_id"]!.GetValue<string>();
        try
        {
            await Eventually.UntilAsync(
                async () => JsonNode.Parse(await http.GetStringAsync("/v1/auth0/backfill", Cancel))!.ToJsonString(),
                status => status.Contains($"\"checkpoint\":\"{lastId}\"", StringComparison.Ordinal),
                limit: TimeSpan.FromSeconds(90),
                what: "the checkpoint at the last entry");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- first:\n{first.Output}\n--- second:\n{second.Output}");
        }

        var routed = new List<string>();
        await Eventually.UntilAsync(
            async () =>
            {
                routed.AddRange((await queue.DrainAsync()).Select(m => m.Event["eventId"]!.GetValue<string>()));
                return routed.Count;
            },
            count => count >= 200,
            what: "200 entries on the broker");
        // Both copies keep polling every second: a second pull of any page would have published its entries again by now.
        await Eventually.UntilAsync(() => Task.FromResult(auth0.LogRequests.Count(r => r.From == lastId)), count => count >= 4, what: "both copies polling past the end");
        routed.AddRange((await queue.DrainAsync()).Select(m => m.Event["eventId"]!.GetValue<string>()));

        Assert.Equal(200, routed.Count);
        Assert.Equal(records.Select(r => r["log_id"]!.GetValue<string>()).Order(StringComparer.Ordinal), routed.Order(StringComparer.Ordinal));
        Assert.Equal(10, auth0.ServedPages.Count);
        Assert.Equal(10, auth0.ServedPages.Distinct().Count());
        var status = JsonNode.Parse(await HubSettings.ClientFor(second).GetStringAsync("/v1/auth0/backfill", Cancel))!;
        Assert.Equal(lastId, status["checkpoint"]!.GetValue<string>());
        Assert.Contains("Auth0 backfill Poll", first.Output + second.Output, StringComparison.Ordinal);
    }
}
