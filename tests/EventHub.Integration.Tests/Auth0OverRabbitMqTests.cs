using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>Auth0 ingress on a real broker: one publish reaches pattern-bound queues and typed consumers; a broker outage is a 503, never a loss.</summary>
public sealed class Auth0OverRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_route_by_event_name_to_queues_bound_with_patterns_and_to_typed_consumers_with_one_publish()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var hub = new EmbeddedHub(settings);
        await HubReadiness.WaitAsync(hub.Http);
        var allEntries = new ConcurrentBag<IAuth0LogEvent>();
        var connector = hub.Services.GetRequiredService<IReceiveEndpointConnector>();
        var endpoint = connector.ConnectReceiveEndpoint($"all-auth0-{Guid.NewGuid():N}"[..20], (_, cfg) =>
            cfg.Handler<IAuth0LogEvent>(context =>
            {
                allEntries.Add(context.Message);
                return Task.CompletedTask;
            }));
        await endpoint.Ready.WaitAsync(Eventually.DefaultLimit, Cancel);
        await using var failedLogins = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.auth.login.fail.*");
        await using var everything = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "auth0.#");

        var batch = new[] { "f", "s", "fp", "sapi", "fu", "slo", "brand_new_code" }.Select(code => Auth0Entries.Record(code)).ToList();
        var response = await hub.PostAuth0Async(Auth0Entries.JsonArray(batch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var all = new List<(string RoutingKey, JsonNode Event)>();
        await Eventually.UntilAsync(
            async () =>
            {
                all.AddRange(await everything.DrainAsync());
                return all.Count;
            },
            count => count >= batch.Count,
            what: "the whole batch in the auth0.# queue");
        var failed = await failedLogins.DrainAsync();
        Assert.Equal(batch.Count, all.Count);
        Assert.Equal(["auth0.auth.login.fail.f", "auth0.auth.login.fail.fp", "auth0.auth.login.fail.fu"], failed.Select(m => m.RoutingKey).Order(StringComparer.Ordinal));
        Assert.All(failed, m => Assert.Equal(m.RoutingKey, m.Event["name"]!.GetValue<string>()));
        Assert.Contains(all, m => m.RoutingKey == "auth0.other.brand_new_code");

        await Eventually.UntilAsync(() => Task.FromResult(allEntries.Count), count => count >= batch.Count, what: "the IAuth0LogEvent consumer");
        Assert.Equal(batch.Select(r => r["log_id"]!.GetValue<string>()).Order(StringComparer.Ordinal), allEntries.Select(e => e.EventId).Order(StringComparer.Ordinal));
        await endpoint.ReceiveEndpoint.Stop(Cancel);
    }

    [Fact]
    public async Task Should_answer_503_while_the_broker_is_down_and_lose_nothing_it_acknowledged()
    {
        await using var node = await RabbitMqNode.StartAsync("eventhub-test-outage");
        var settings = (await HubSettings.OnRabbitMqAsync(node)).AsEnvironment();
        settings["EventHub__Auth0__ConfirmTimeout"] = "00:00:03";
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        await using var appQueue = await BoundQueue.DeclareAsync(node.AmqpUriOf(settings.VirtualHost()), "auth0.#");

        var before = Enumerable.Range(0, 5).Select(_ => Auth0Entries.Record("f")).ToList();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, before)).StatusCode);

        await node.StopServerAsync();
        var during = Enumerable.Range(0, 5).Select(_ => Auth0Entries.Record("s")).ToList();
        var refused = await PostAsync(http, during);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 carries Retry-After");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready", Cancel)).StatusCode);

        await node.StartServerAsync();
        await Eventually.UntilAsync(() => http.GetAsync("/health/ready", Cancel), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "the host to reconnect by itself");
        var resent = await Eventually.UntilAsync(() => PostAsync(http, during), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "Auth0's resend to be accepted");
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);

        var acknowledged = before.Concat(during).Select(r => r["log_id"]!.GetValue<string>()).ToList();
        foreach (var id in acknowledged)
            await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"event {id} in the event log");

        var delivered = new List<string>();
        await Eventually.UntilAsync(
            async () =>
            {
                delivered.AddRange((await appQueue.DrainAsync()).Select(m => m.Event["eventId"]!.GetValue<string>()));
                return delivered.Distinct().Count();
            },
            count => count >= acknowledged.Count,
            what: "every acknowledged entry in the application's queue");
        Assert.Empty(acknowledged.Except(delivered));
    }

    static async Task<HttpResponseMessage> PostAsync(HttpClient http, IEnumerable<JsonObject> records)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(Auth0Entries.JsonArray(records)) };
        request.Headers.TryAddWithoutValidation("Authorization", HubSettings.Auth0Token);
        return await http.SendAsync(request, Cancel);
    }
}
