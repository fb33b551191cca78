using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>The real host on a real RabbitMQ node: one module publishes, another consumes, failures reach the error queue.</summary>
public sealed class HubOverRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_store_in_the_event_log_an_entry_the_auth0_module_published_over_the_broker()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        var ready = await http.GetAsync("/health/ready", Cancel);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var failed = Auth0Entries.Record("f");
        var response = await PostAuth0Async(http, Auth0Entries.JsonArray([failed]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var logId = failed["log_id"]!.GetValue<string>();
        var stored = await Eventually.UntilAsync(
            () => http.GetAsync($"/v1/events/{logId}", Cancel),
            r => r.StatusCode == HttpStatusCode.OK,
            what: "the event in the event log");
        var json = JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal("auth0.auth.login.fail.f", json["name"]!.GetValue<string>());
        Assert.Equal("auth0:example-tenant", json["source"]!.GetValue<string>());
        Assert.Equal("f", json["payload"]!["type"]!.GetValue<string>());

        var exchanges = await broker.Node.ListExchangesAsync(settings.VirtualHost());
        Assert.Equal("topic", exchanges["eventhub.events"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_move_what_an_always_failing_consumer_cannot_handle_to_its_error_queue_after_retries(bool quorumQueues)
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        settings["EventHub:RabbitMq:QuorumQueues"] = quorumQueues.ToString();
        await using var factory = new HubFactory(settings);
        using var http = factory.CreateClient();
        await HubReadiness.WaitAsync(http);
        var connector = factory.Services.GetRequiredService<IReceiveEndpointConnector>();
        var queue = $"always-fails-{Guid.NewGuid():N}"[..24];
        // Counted per row: a count shared by both rows would let one row's attempts pass for the other's.
        var attempts = new StrongBox<int>();
        var endpoint = connector.ConnectReceiveEndpoint(queue, (_, cfg) =>
        {
            cfg.UseMessageRetry(retry => retry.Immediate(3));
            cfg.Consumer(() => new AlwaysFailsConsumer(attempts));
        });
        await endpoint.Ready.WaitAsync(Eventually.DefaultLimit, Cancel);

        var batch = Auth0Entries.JsonArray([Auth0Entries.Record("f"), Auth0Entries.Record("s"), Auth0Entries.Record("fp")]);
        var response = await PostAuth0Async(http, batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var queues = await Eventually.UntilAsync(
            () => broker.Node.ListQueuesAsync(settings.VirtualHost()),
            q => q.GetValueOrDefault(queue + "_error") >= 2,
            what: "two failed logins in the error queue");
        Assert.Equal(2, queues[queue + "_error"]);
        Assert.Equal(0, queues[queue]);
        Assert.True(attempts.Value == 2 * 4, $"each message is tried once and retried three times before it is moved (attempts: {attempts.Value})");
        var (_, types) = await broker.Node.CtlAsync(["list_queues", "-p", settings.VirtualHost(), "name", "type", "arguments", "--quiet", "--no-table-headers"]);
        // The product's own endpoints: with quorum queues, the error queue is declared up front as their dead-letter target.
        if (quorumQueues)
        {
            Assert.Contains("store-events\tquorum", types, StringComparison.Ordinal);
            Assert.Contains("store-events_error\tquorum", types, StringComparison.Ordinal);
            Assert.Contains("x-delivery-limit", types.Split('\n').Single(line => line.StartsWith("store-events\t", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("store-events\tclassic", types, StringComparison.Ordinal);
            Assert.DoesNotContain("x-delivery-limit", types, StringComparison.Ordinal);
        }

        await endpoint.ReceiveEndpoint.Stop(Cancel);
    }

    static async Task<HttpResponseMessage> PostAuth0Async(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubSettings.Auth0Token);
        return await http.SendAsync(request, Cancel);
    }

    sealed class AlwaysFailsConsumer(StrongBox<int> attempts) : IConsumer<IAuth0LoginFailure>
    {
        public Task Consume(ConsumeContext<IAuth0LoginFailure> context)
        {
            Interlocked.Increment(ref attempts.Value);
            throw new InvalidOperationException($"Always fails ({context.Message.Type})");
        }
    }

    [Fact]
    public async Task Should_ask_the_broker_for_the_configured_heartbeat_on_every_connection()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        settings["EventHub:RabbitMq:HeartbeatSeconds"] = "7";
        await using var hub = new EmbeddedHub(settings);
        // The admin connection opens on first use: a registration (its queue depth) makes both kinds exist.
        var registered = await hub.Http.PostAsync("/v1/listeners", new StringContent("""{"name":"beat","events":["beat.*"],"delivery":{"type":"pull"}}""", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        var timeouts = await Eventually.UntilAsync(
            async () =>
            {
                var (_, output) = await broker.Node.CtlAsync(["list_connections", "vhost", "client_properties", "timeout", "--quiet", "--no-table-headers"]);
                return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith(settings.VirtualHost() + "\t", StringComparison.Ordinal)).ToList();
            },
            lines => lines.Count >= 2 && lines.Any(line => line.Contains("eventhub-admin", StringComparison.Ordinal)),
            what: "the bus and listener-admin connections");
        Assert.All(timeouts, line => Assert.EndsWith("\t7", line.TrimEnd(), StringComparison.Ordinal));
    }
}
