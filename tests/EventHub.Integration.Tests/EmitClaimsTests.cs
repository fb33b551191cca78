using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// Keyed emits on the production shape (host process, RabbitMQ, PostgreSQL): the idempotency claims of concurrent
/// requests go to the database together, and the answers stay those of one claim per request.
/// </summary>
public sealed class EmitClaimsTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    const string Batch = """[{"name":"claims.race","payload":1},{"name":"claims.race","payload":2},{"name":"claims.race","payload":3}]""";

    [Fact]
    public async Task Should_publish_each_keyed_event_once_under_racing_retries_and_answer_503_while_postgresql_is_down()
    {
        // A cluster of its own: this test stops it.
        await using var postgres = await PostgresCluster.StartAsync();
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        using var http = HubSettings.ClientFor(host);
        // The host declares eventhub.events as its bus starts; a queue bound before that is refused (404 no exchange).
        await host.WaitForOutputAsync("Bus started: rabbitmq://").WaitAsync(Eventually.DefaultLimit, Cancel);
        await HubReadiness.WaitAsync(http);
        await using var queue = await BoundQueue.DeclareAsync(broker.Node.AmqpUriOf(settings.VirtualHost()), "claims.#");

        // Eight keys, each sent three times at once (a client retrying while the first is in flight).
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => EmitAsync(http, $"order-{i % 8}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(IdsAsync));
        for (var key = 0; key < 8; key++)
        {
            Assert.Equal(ids[key], ids[key + 8]);
            Assert.Equal(ids[key], ids[key + 16]);
        }

        // Every 202 came after its publish was confirmed, so everything published is in the queue by now.
        var published = (await queue.DrainAsync()).Select(m => m.Event["eventId"]!.GetValue<string>()).ToList();
        Assert.Equal(24, published.Count);
        Assert.Equal(ids.Take(8).SelectMany(i => i).Order(StringComparer.Ordinal), published.Order(StringComparer.Ordinal));

        await postgres.StopServerAsync();
        var refused = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => EmitAsync(http, $"while-down-{i}")));
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }

        await postgres.StartServerAsync();
        var retried = await Eventually.UntilAsync(() => EmitAsync(http, "while-down-0"), r => r.StatusCode == HttpStatusCode.Accepted, Eventually.DefaultLimit, "the refused emit accepted once PostgreSQL is back");
        Assert.Equal(await IdsAsync(retried), (await queue.DrainAsync()).Select(m => m.Event["eventId"]!.GetValue<string>()).ToArray());
    }

    static async Task<HttpResponseMessage> EmitAsync(HttpClient http, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(Batch, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request, Cancel);
    }

    static async Task<string[]> IdsAsync(HttpResponseMessage response) =>
        [.. JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray().Select(i => i!.GetValue<string>())];
}
