using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Npgsql;

namespace EventHub.Integration.Tests;

/// <summary>
/// GET /v1/errors and POST /v1/errors/{queue}/replay on a host process over RabbitMQ and PostgreSQL, with a real poison
/// message: a CHECK constraint an operator added by mistake makes the event log writer's insert fail, MassTransit retries
/// and moves the message to store-events_error; the constraint is dropped and the replay stores the event.
/// </summary>
public sealed class ErrorQueueTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_poison_message_in_store_events_error_is_listed_with_its_exception_and_replayed_into_the_event_log_once_the_fault_is_fixed()
    {
        var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
        // The real retry schedule (12 retries), 100 ms apart instead of up to 30 s: the message reaches _error in seconds.
        settings["EventHub:Bus:RetryMaxInterval"] = "00:00:00.100";
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        // Stored first: the events table exists and the writer works before the fault.
        await EmitAndWaitStoredAsync(http, "before-" + Guid.NewGuid().ToString("N"), "orders.placed");

        await SqlAsync(settings, "ALTER TABLE events ADD CONSTRAINT no_poison CHECK (name <> 'orders.poisoned') NOT VALID");
        var eventId = "poison-" + Guid.NewGuid().ToString("N");
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await Emit(http, eventId, "orders.poisoned")).StatusCode);

        var listed = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/errors", Cancel))!["items"]!.AsArray().FirstOrDefault(q => q!["queue"]!.GetValue<string>() == "store-events_error"),
            q => q is not null && q["count"]!.GetValue<long>() == 1,
            what: "store-events_error with the poison message");
        TestContext.Current.TestOutputHelper?.WriteLine($"The poison message reached store-events_error {started.ElapsedMilliseconds} ms after its emit (13 attempts, 100 ms apart)");
        Assert.Equal("store-events", listed!["sourceQueue"]!.GetValue<string>());
        var message = Assert.Single(listed["messages"]!.AsArray())!;
        var messageId = message["messageId"]!.GetValue<string>();
        Assert.Equal("Npgsql.PostgresException", message["exceptionType"]!.GetValue<string>());
        Assert.Contains("no_poison", message["exceptionMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        // Listing takes nothing away, and a replay of other ids moves nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/events/{eventId}", Cancel)).StatusCode);
        var none = await http.PostAsync("/v1/errors/store-events_error/replay", Json("""{"messageIds": ["not-this-one"]}"""), Cancel);
        Assert.Equal(0, JsonNode.Parse(await none.Content.ReadAsStringAsync(Cancel))!["replayed"]!.GetValue<int>());

        await SqlAsync(settings, "ALTER TABLE events DROP CONSTRAINT no_poison");
        var replay = await http.PostAsync("/v1/errors/store-events_error/replay", Json($$"""{"messageIds": ["{{messageId}}"]}"""), Cancel);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var result = JsonNode.Parse(await replay.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(1, result["replayed"]!.GetValue<int>());
        Assert.Equal(0, result["remaining"]!.GetValue<long>());
        var stored = await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{eventId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the replayed event in the event log");
        Assert.Equal("orders.poisoned", JsonNode.Parse(await stored.Content.ReadAsStringAsync(Cancel))!["name"]!.GetValue<string>());
        // Stored, so the replayed message was consumed without a fault: nothing went back to the error queue.
        var after = JsonNode.Parse(await http.GetStringAsync("/v1/errors", Cancel))!["items"]!.AsArray().Single(q => q!["queue"]!.GetValue<string>() == "store-events_error")!;
        Assert.Equal(0, after["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Replay_refuses_what_is_not_a_hub_error_queue_or_not_a_list_of_message_ids()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        foreach (var queue in new[] { "store-events", "somebody-elses-queue_error", "eventhub.events" })
        {
            var response = await http.PostAsync($"/v1/errors/{queue}/replay", null, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("queue", JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        }

        foreach (var (body, field) in new[] { ("""{"messageIds": "all"}""", "messageIds"), ("""{"messageIds": [1]}""", "messageIds"), ("[", "body"), ("[]", "body") })
        {
            var response = await http.PostAsync("/v1/errors/store-events_error/replay", Json(body), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/v1/errors?peek=1000", Cancel)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/errors", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/errors/store-events_error/replay", null, Cancel)).StatusCode);
    }

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    static Task<HttpResponseMessage> Emit(HttpClient http, string id, string name) =>
        http.PostAsync("/v1/events", Json($$"""{"id": "{{id}}", "name": "{{name}}", "payload": {"order": 42} }"""), Cancel);

    static async Task EmitAndWaitStoredAsync(HttpClient http, string id, string name)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Emit(http, id, name)).StatusCode);
        await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"{id} in the event log");
    }

    /// <summary>What an operator would type in psql against the hub's database.</summary>
    static async Task SqlAsync(Dictionary<string, string> settings, string sql)
    {
        await using var connection = new NpgsqlConnection(settings["ConnectionStrings:EventHub"]);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
