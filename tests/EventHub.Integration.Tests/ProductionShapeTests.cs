using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>The host process on RabbitMQ and PostgreSQL: what is emitted or ingested is routed by name and stored once.</summary>
public sealed class ProductionShapeTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_route_emitted_events_by_name_store_them_in_postgres_and_query_them()
    {
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", Cancel)).StatusCode);
        await using var orders = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "order.*");

        var body = """[{"name":"order.placed","payload":{"n":1}},{"name":"order.shipped","payload":{"n":2}},{"name":"invoice.sent","payload":{"n":3}},{"id":"fixed-1","name":"order.placed","payload":{"n":4}}]""";
        var first = await http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        var again = await http.PostAsync("/v1/events", new StringContent("""{"id":"fixed-1","name":"order.placed","payload":{"n":4}}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, host.Output);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var ids = JsonNode.Parse(await first.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();

        // Accepted only once confirmed by the broker, so a marker sent last is queued after whatever the duplicate caused:
        // once it is routed and stored, a second copy of fixed-1 would have shown.
        var marker = await http.PostAsync("/v1/events", new StringContent("""{"id":"marker-1","name":"order.marker","payload":{}}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, marker.StatusCode);

        var routed = new List<string>();
        await Eventually.UntilAsync(
            async () =>
            {
                routed.AddRange((await orders.DrainAsync()).Select(m => m.RoutingKey));
                return string.Join(", ", routed);
            },
            _ => routed.Contains("order.marker"),
            what: "the order.* messages up to the marker");
        Assert.Equal(["order.marker", "order.placed", "order.placed", "order.shipped"], routed.Order(StringComparer.Ordinal));

        var stored = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=%23", Cancel))!["items"]!.AsArray(),
            // The event log's consumer stores two batches at a time, so the marker's can be stored before an earlier one.
            items => ids.Append("marker-1").All(id => items.Any(i => i!["id"]!.GetValue<string>() == id)),
            what: "the stored events and the marker");
        Assert.Equal(ids.Append("marker-1").Order(StringComparer.Ordinal), stored.Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Single(stored, i => i!["id"]!.GetValue<string>() == "fixed-1");
        Assert.Equal(2, JsonNode.Parse(await http.GetStringAsync("/v1/events?name=order.*&limit=2", Cancel))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Should_store_auth0_entries_in_postgres_once_even_when_auth0_resends_them()
    {
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        var batch = Auth0Entries.JsonArray(Enumerable.Range(0, 10).Select(i => Auth0Entries.Record(i % 2 == 0 ? "f" : "s")));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(batch) };
            request.Headers.TryAddWithoutValidation("Authorization", HubSettings.Auth0Token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request, Cancel)).StatusCode);
        }

        var stored = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=auth0.%23&limit=1000", Cancel))!["items"]!.AsArray(),
            items => items.Count >= 10,
            what: "ten stored entries");
        Assert.Equal(10, stored.Count);
        Assert.Equal(5, JsonNode.Parse(await http.GetStringAsync("/v1/events?name=auth0.auth.login.fail.*", Cancel))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Should_store_event_streams_events_and_buildable_emits_in_postgres_once_from_the_host_process()
    {
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var events = new[]
        {
            Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(),
            Auth0EventStreamEvents.UserUpdated("Jane Q. Doe", "2026-11-20T11:00:00Z"),
            Auth0EventStreamEvents.OrganizationMemberAdded(),
            Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(purpose: "test"),
        };

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0/events")
            {
                Content = new StringContent(Auth0EventStreamEvents.Batch(events), Encoding.UTF8, "application/cloudevents-batch+json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {HubSettings.EventStreamsToken}");
            var response = await http.SendAsync(request, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, host.Output);
        }

        using var emit = new HttpRequestMessage(HttpMethod.Post, "/emit")
        {
            Content = new StringContent("{\n\"event\": \"my-first-event\",\n\"payload\": {\n\"salutation\": \"Hello World!\"\n}\n}", Encoding.UTF8, "application/json"),
        };
        emit.Headers.Add("X-Buildable-Secret", HubSettings.ApiKey);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(emit, Cancel)).StatusCode);

        var stored = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=auth0.events.%23&limit=1000", Cancel))!["items"]!.AsArray(),
            items => items.Count >= events.Length,
            what: "the Event Streams events in PostgreSQL");
        Assert.Equal(events.Select(e => e["id"]!.GetValue<string>()).Order(StringComparer.Ordinal), stored.Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var test = JsonNode.Parse(await http.GetStringAsync($"/v1/events/{events[3]["id"]}", Cancel))!;
        Assert.Equal("auth0.events.user.created", test["name"]!.GetValue<string>());
        Assert.Equal("test", test["payload"]!["a0purpose"]!.GetValue<string>());
        await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=my-first-event", Cancel))!["items"]!.AsArray().Count,
            count => count == 1,
            what: "the emitted event in PostgreSQL");
    }
}
