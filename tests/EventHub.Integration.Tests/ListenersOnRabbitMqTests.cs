using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Listeners in production shape: two host copies on one RabbitMQ and one PostgreSQL, a real receiver.</summary>
public sealed class ListenersOnRabbitMqTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_deliver_from_any_copy_keep_registrations_across_restarts_and_remove_queue_and_bindings_on_deregister()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__SyncInterval"] = "00:00:00.500";

        await using var copyA = await HostProcess.StartAsync(settings);
        await using var copyB = await HostProcess.StartAsync(settings);
        using var httpA = HubSettings.ClientFor(copyA);
        using var httpB = HubSettings.ClientFor(copyB);

        var registered = await httpA.PostAsJsonAsync("/v1/listeners", new { name = "orders", events = new[] { "order.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        var id = listener["id"]!.GetValue<string>();
        var queue = listener["queue"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await copyB.WaitForOutputAsync($"Delivering to listener {id}");

        await copyA.KillAsync();
        var first = await EmitAsync(httpB, "order.placed");
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count(r => r.WebhookId == first)), n => n >= 1, what: "delivery through copy B");

        await copyB.KillAsync();
        await using var copyC = await HostProcess.StartAsync(settings);
        using var httpC = HubSettings.ClientFor(copyC);
        await copyC.WaitForOutputAsync($"Delivering to listener {id}");
        var second = await EmitAsync(httpC, "order.shipped");
        await EmitAsync(httpC, "invoice.sent");
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count(r => r.WebhookId == second)), n => n >= 1, what: "delivery after a restart");
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        Assert.DoesNotContain(receiver.Received, r => r.Body.Contains("invoice.sent", StringComparison.Ordinal));

        var shown = await Eventually.UntilAsync(
            async () =>
            {
                var response = await httpC.GetAsync($"/v1/events/{second}", Cancel);
                return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["transactions"]?.AsArray() : null;
            },
            transactions => transactions is [{ } only] && only["state"]!.GetValue<string>() == "succeeded",
            what: "the event's transaction shown as succeeded");
        Assert.Single(shown!);

        Assert.Contains(queue, (await broker.Node.ListQueuesAsync(settings.VirtualHost())).Keys);
        Assert.Contains(await broker.Node.ListBindingsAsync(settings.VirtualHost()), b => b.Source == "eventhub.events" && b.Destination == queue && b.RoutingKey == "order.*");

        var deleted = await httpC.DeleteAsync($"/v1/listeners/{id}", Cancel);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain(queue, (await broker.Node.ListQueuesAsync(settings.VirtualHost())).Keys);
        Assert.DoesNotContain(await broker.Node.ListBindingsAsync(settings.VirtualHost()), b => b.Destination == queue || b.Source == queue);
    }

    [Fact]
    public async Task Should_retry_dead_letter_and_replay_on_the_broker()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "flaky", events = new[] { "pay.*" }, delivery = new { type = "webhook", url = receiver.Url }, retry = new { schedule = new[] { "0s", "1s" } } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        var id = listener["id"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();

        receiver.Plan(500, 502);
        var recovered = await EmitAsync(http, "pay.recovered");
        await Eventually.UntilAsync(() => StateAsync(http, id, recovered), s => s == "succeeded", what: "success after two failures");
        Assert.Equal([500, 502, 200], receiver.Received.Where(r => r.WebhookId == recovered).Select(r => r.AnsweredStatus));

        receiver.DefaultStatus = 503;
        var doomed = await EmitAsync(http, "pay.doomed");
        await Eventually.UntilAsync(() => StateAsync(http, id, doomed), s => s == "dead", what: "the dead letter");
        receiver.DefaultStatus = 200;
        var replay = await http.PostAsJsonAsync($"/v1/listeners/{id}/dead-letters/replay", new { }, Cancel);
        Assert.Equal(1, JsonNode.Parse(await replay.Content.ReadAsStringAsync(Cancel))!["replayed"]!.GetValue<int>());
        await Eventually.UntilAsync(() => StateAsync(http, id, doomed), s => s == "succeeded", what: "the replayed delivery");
        Assert.Equal([503, 503, 503, 200], receiver.Received.Where(r => r.WebhookId == doomed).Select(r => r.AnsweredStatus));
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
    }

    static async Task<string?> StateAsync(HttpClient http, string listener, string eventId)
    {
        var items = JsonNode.Parse(await http.GetStringAsync($"/v1/listeners/{listener}/transactions", Cancel))!["items"]!.AsArray();
        return items.FirstOrDefault(i => i!["eventId"]!.GetValue<string>() == eventId)?["state"]?.GetValue<string>();
    }

    [Fact]
    public async Task Should_declare_listener_queues_as_quorum_queues_when_configured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__RabbitMq__QuorumQueues"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);

        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "quorum", events = new[] { "q.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        receiver.Secret = listener["secret"]!.GetValue<string>();
        var id = await EmitAsync(http, "q.event");

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count(r => r.WebhookId == id)), n => n >= 1, what: "delivery from a quorum queue");
        var (_, types) = await broker.Node.CtlAsync(["list_queues", "-p", settings.VirtualHost(), "name", "type", "arguments", "--quiet", "--no-table-headers"]);
        var queue = listener["queue"]!.GetValue<string>();
        Assert.Contains($"{queue}\tquorum", types, StringComparison.Ordinal);
        Assert.Contains($"{queue}_error\tquorum", types, StringComparison.Ordinal);
        Assert.Contains("x-delivery-limit", types.Split('\n').Single(line => line.StartsWith(queue + "\t", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_deliver_exactly_the_one_event_of_a_hundred_that_the_filter_matches_and_count_the_others()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);
        var registered = await http.PostAsJsonAsync(
            "/v1/listeners",
            new { name = "one-in-a-hundred", events = new[] { "sale.*" }, delivery = new { type = "webhook", url = receiver.Url }, filter = new Dictionary<string, object> { ["payload.n"] = 42 } },
            Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = listener["id"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();

        var emitted = await Eventually.UntilAsync(
            () => http.PostAsJsonAsync("/v1/events", Enumerable.Range(0, 100).Select(n => new { name = "sale.made", payload = new { n } }), Cancel),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            Eventually.DefaultLimit,
            "a batch emit that is not answered 503");
        var ids = JsonNode.Parse(await emitted.Content.ReadAsStringAsync(Cancel))!["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();

        await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync($"/v1/listeners/{id}", Cancel))!["filtered"]!.GetValue<long>(),
            filtered => filtered == 99,
            what: "99 events held back by the filter");
        var delivered = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.ToList()), r => r.Count >= 1, what: "the one matching delivery");
        Assert.Equal(ids[42], Assert.Single(delivered).WebhookId);
        Assert.Equal(42, JsonNode.Parse(delivered[0].Body)!["payload"]!["n"]!.GetValue<int>());
        var queue = listener["queue"]!.GetValue<string>();
        await Eventually.UntilAsync(async () => (await broker.Node.ListQueuesAsync(settings.VirtualHost()))[queue], ready => ready == 0, what: "every event acknowledged");
        var transactions = JsonNode.Parse(await http.GetStringAsync($"/v1/listeners/{id}/transactions", Cancel))!["items"]!.AsArray();
        Assert.Equal(ids[42], Assert.Single(transactions)!["eventId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_pause_a_failing_listener_keep_what_arrives_and_deliver_all_of_it_on_resume_without_a_dead_letter()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__SyncInterval"] = "00:00:00.500";
        settings["EventHub__Listeners__PauseAfterEvents"] = "3";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "down", events = new[] { "health.*" }, delivery = new { type = "webhook", url = receiver.Url }, retry = new { schedule = new[] { "0s" } } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        var id = listener["id"]!.GetValue<string>();
        var queue = listener["queue"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await host.WaitForOutputAsync($"Delivering to listener {id}");

        receiver.DefaultStatus = 503;
        for (var i = 0; i < 3; i++)
            await EmitAsync(http, "health.before");
        var paused = await Eventually.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync($"/v1/listeners/{id}", Cancel))!, l => l["state"]!.GetValue<string>() == "paused", what: "the listener paused");
        Assert.Equal("HTTP 503", paused["health"]!["lastError"]!.GetValue<string>());
        Assert.NotNull(paused["health"]!["pausedAt"]);
        await host.WaitForOutputAsync($"Stopped delivery for paused listener {id}");
        var announced = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=listener.paused", Cancel))!["items"]!.AsArray(),
            items => items.Count == 1,
            what: "listener.paused in the event log");
        Assert.Equal(id, JsonNode.Parse(announced[0]!["payload"]!.ToJsonString())!["listenerId"]!.GetValue<string>());

        var later = new List<string>();
        for (var i = 0; i < 5; i++)
            later.Add(await EmitAsync(http, "health.after"));
        await Eventually.UntilAsync(async () => (await broker.Node.ListQueuesAsync(settings.VirtualHost()))[queue], ready => ready == 5, what: "the five later events kept in the queue");

        receiver.DefaultStatus = 200;
        var resumed = await http.PostAsync($"/v1/listeners/{id}/resume", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("active", JsonNode.Parse(await resumed.Content.ReadAsStringAsync(Cancel))!["state"]!.GetValue<string>());
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Where(r => r.AnsweredStatus == 200).Select(r => r.WebhookId).ToHashSet()),
            ids => ids.IsSupersetOf(later),
            what: "every event kept while paused delivered after the resume");
        // The receiver records a request before it answers, and the hub records the outcome after the answer.
        foreach (var eventId in later)
            await Eventually.UntilAsync(() => StateAsync(http, id, eventId), state => state == "succeeded", what: $"{eventId} recorded as succeeded");
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/v1/listeners/{id}/resume", null, Cancel)).StatusCode);
        await Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/events?name=listener.resumed", Cancel))!["items"]!.AsArray().Count,
            n => n == 1,
            what: "listener.resumed in the event log");
    }

    [Fact]
    public async Task Should_spread_deliveries_of_a_rate_limited_listener_over_two_copies_without_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__SyncInterval"] = "00:00:00.500";
        await using var copyA = await HostProcess.StartAsync(settings);
        await using var copyB = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(copyA);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "paced", events = new[] { "paced.*" }, delivery = new { type = "webhook", url = receiver.Url }, rateLimit = new { perSecond = 20 } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(20, listener["rateLimit"]!["perSecond"]!.GetValue<int>());
        var id = listener["id"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await copyA.WaitForOutputAsync($"Delivering to listener {id}");
        await copyB.WaitForOutputAsync($"Delivering to listener {id}");

        var emitted = await Eventually.UntilAsync(
            () => http.PostAsJsonAsync("/v1/events", Enumerable.Range(0, 200).Select(n => new { name = "paced.tick", payload = new { n } }), Cancel),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            Eventually.DefaultLimit,
            "a batch emit that is not answered 503");
        Assert.Equal(HttpStatusCode.Accepted, emitted.StatusCode);
        var received = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.ToList()), r => r.Count >= 200, TimeSpan.FromSeconds(120), "all 200 deliveries");

        Assert.Equal(200, received.Select(r => r.WebhookId).Distinct().Count());
        Assert.All(received, r => Assert.Equal(200, r.AnsweredStatus));
        var span = received.Max(r => r.At) - received.Min(r => r.At);
        TestContext.Current.TestOutputHelper?.WriteLine($"rate limit 20/s over two copies: 200 deliveries in {span.TotalSeconds:0.0} s = {199 / span.TotalSeconds:0.0}/s");
    }

    // A copy that has just started or just lost a sibling may answer 503 for a moment (bus reconnecting, confirms slow on
    // a loaded machine); a client retries a 503, and so does this one. Any other answer fails the test at once.
    static async Task<string> EmitAsync(HttpClient http, string name)
    {
        var response = await Eventually.UntilAsync(
            () => http.PostAsJsonAsync("/v1/events", new { name, payload = new { } }, Cancel),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            Eventually.DefaultLimit,
            "an emit that is not answered 503");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>();
    }
}
