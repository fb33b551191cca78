using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Replay jobs on the real host (in-memory bus, SQLite) with a real receiver: selection, webhook-ids, cancel, cap, validation, Auth0 typing.</summary>
public sealed class ReplayJobTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly EmbeddedHub _hub = new(new(AccessKeys.Settings())
    {
        ["EventHub:Listeners:StoreResponses"] = "true",
        ["EventHub:Listeners:ReplayLease"] = "00:00:10",
        ["EventHub:Listeners:MaxReplaysPerKey"] = "1",
    });

    WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Should_deliver_exactly_the_past_events_of_the_range_patterns_and_filter_again_with_their_original_webhook_ids()
    {
        var listener = await RegisterAsync(new { name = "replayed", events = new[] { "rp.*" }, delivery = new { type = "webhook", url = _receiver.Url } });
        var now = DateTimeOffset.UtcNow;
        var tooEarly = await EmitAsync("rp.a", new { n = 1 }, now.AddHours(-3));
        var inRange = await EmitAsync("rp.a", new { n = 2 }, now.AddHours(-2));
        var otherName = await EmitAsync("rp.b", new { n = 3 }, now.AddHours(-2));
        var filteredOut = await EmitAsync("rp.a", new { n = 0 }, now.AddHours(-2));
        var alsoInRange = await EmitAsync("rp.a", new { n = 5 }, now.AddMinutes(-70));
        var tooLate = await EmitAsync("rp.a", new { n = 6 }, now.AddMinutes(-10));
        await Eventually.UntilAsync(
            async () => (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/transactions?state=succeeded", Cancel))!["items"]!.AsArray().Count,
            n => n >= 6,
            what: "the live deliveries recorded");
        // A replay reads the event log, which its own consumer writes apart from the listener's deliveries.
        foreach (var id in new[] { tooEarly, inRange, otherName, filteredOut, alsoInRange, tooLate })
            await Eventually.UntilAsync(() => _hub.Http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"event {id} in the event log");
        var live = _receiver.Received.ToDictionary(r => r.WebhookId, r => r.Body);

        var started = await StartAsync(listener, new { from = now.AddHours(-150.0 / 60), to = now.AddMinutes(-30), events = new[] { "rp.a" }, filter = new Dictionary<string, object> { ["payload.n"] = new Dictionary<string, int> { ["$gte"] = 1 } } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = JsonNode.Parse(await started.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal($"/v1/listeners/{listener}/replays/{job["id"]}", started.Headers.Location!.OriginalString);
        var done = await Eventually.UntilAsync(() => JobAsync(listener, job["id"]!.GetValue<string>()), j => j["state"]!.GetValue<string>() != "running", what: "the replay job done");

        Assert.Equal("done", done["state"]!.GetValue<string>());
        Assert.Equal((2, 2, 0, 1.0), (done["matched"]!.GetValue<int>(), done["delivered"]!.GetValue<int>(), done["failed"]!.GetValue<int>(), done["progress"]!.GetValue<double>()));
        var replayed = _receiver.Received.Skip(6).ToList();
        Assert.Equal(new HashSet<string> { inRange, alsoInRange }, replayed.Select(r => r.WebhookId).ToHashSet());
        Assert.Equal(2, replayed.Count);
        Assert.All(replayed, r => Assert.True(r.SignatureValid));
        Assert.All(replayed, r => Assert.Equal(live[r.WebhookId], r.Body));
        Assert.DoesNotContain(replayed, r => r.WebhookId == tooEarly || r.WebhookId == otherName || r.WebhookId == filteredOut || r.WebhookId == tooLate);

        var transaction = (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/transactions", Cancel))!["items"]!.AsArray().Single(t => t!["eventId"]!.GetValue<string>() == inRange)!;
        Assert.Equal([false, true], transaction["history"]!.AsArray().Select(a => a!["replay"]!.GetValue<bool>()));
        var listed = (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/replays", Cancel))!["items"]!.AsArray();
        Assert.Equal(job["id"]!.GetValue<string>(), Assert.Single(listed)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_stop_a_cancelled_replay_and_refuse_more_running_replays_than_the_key_may_have()
    {
        var listener = await RegisterAsync(new { name = "slow", events = new[] { "slow.*" }, delivery = new { type = "webhook", url = _receiver.Url } });
        var past = new List<string>();
        for (var i = 0; i < 20; i++)
            past.Add(await EmitAsync("slow.event", new { i }, DateTimeOffset.UtcNow.AddMinutes(-30)));
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count), n => n >= 20, what: "the live deliveries");
        await Eventually.UntilAsync(() => ItemsAsync("/v1/events?name=slow.event&limit=1000"), items => items.Count >= 20, what: "the past events in the event log");
        // Slow enough that the 20 would take 40 s: the cancel lands long before the end even on a loaded machine.
        _receiver.Delay = TimeSpan.FromSeconds(2);

        var started = await StartAsync(listener, new { from = DateTimeOffset.UtcNow.AddHours(-1) });
        var jobId = JsonNode.Parse(await started.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count), n => n >= 21, what: "the first replayed delivery");
        var second = await StartAsync(listener, new { from = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("EventHub__Listeners__MaxReplaysPerKey", await second.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var cancelled = await _hub.Http.DeleteAsync($"/v1/listeners/{listener}/replays/{jobId}", Cancel);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", JsonNode.Parse(await cancelled.Content.ReadAsStringAsync(Cancel))!["state"]!.GetValue<string>());
        _receiver.Delay = TimeSpan.Zero;
        // A live event after the cancel, then a new replay of one event: once both arrived, the cancelled job had every chance to go on.
        var marker = await EmitAsync("slow.marker", new { }, DateTimeOffset.UtcNow);
        await Eventually.UntilAsync(() => ItemsAsync("/v1/events?name=slow.marker"), items => items.Count >= 1, what: "the marker in the event log");
        // Delivered live before the replay starts: a replay that reached the listener first would leave the live delivery
        // nothing to do (an event the listener has is delivered once), and the marker would arrive once, not twice.
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count(r => r.WebhookId == marker)), n => n >= 1, what: "the marker live");
        var third = await StartAsync(listener, new { from = DateTimeOffset.UtcNow.AddMinutes(-1), events = new[] { "slow.marker" } });
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var thirdId = JsonNode.Parse(await third.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        await Eventually.UntilAsync(() => JobAsync(listener, thirdId), j => j["state"]!.GetValue<string>() == "done", what: "the replay after the cancel");
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count(r => r.WebhookId == marker)), n => n >= 2, what: "the marker live and replayed");

        var replayedBeforeCancel = _receiver.Received.Skip(20).Count(r => past.Contains(r.WebhookId));
        Console.WriteLine($"The cancelled job delivered {replayedBeforeCancel} of 20 past events");
        Assert.InRange(replayedBeforeCancel, 1, 19);
        var job = await JobAsync(listener, jobId);
        Assert.Equal("cancelled", job["state"]!.GetValue<string>());
        Assert.NotNull(job["finishedAt"]);
        Assert.Equal(HttpStatusCode.OK, (await _hub.Http.DeleteAsync($"/v1/listeners/{listener}/replays/{jobId}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("""{}""", "from")]
    [InlineData("""[]""", "body")]
    [InlineData("""{"from":"last week"}""", "from")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","to":"2026-11-23T00:00:00Z"}""", "to")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","to":7}""", "to")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","form":"x"}""", "form")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","events":["a.**"]}""", "events[0]")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","events":[]}""", "events")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z","filter":{"payload.n":{"$between":1}}}""", "filter.payload.n.$between")]
    [InlineData("""{"from":"2026-11-24T00:00:00Z",""", "body")]
    public async Task Should_refuse_a_bad_replay_request_naming_the_field(string body, string field)
    {
        var listener = await RegisterAsync(new { name = "validated", events = new[] { "v.*" }, delivery = new { type = "webhook", url = _receiver.Url } });
        var response = await _hub.Http.PostAsync($"/v1/listeners/{listener}/replays", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonNode.Parse(text)!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_let_only_the_owner_with_the_replay_scope_start_or_read_replays()
    {
        var listener = await RegisterAsync(new { name = "owned", events = new[] { "order.*" }, delivery = new { type = "webhook", url = _receiver.Url } });
        var body = new { from = DateTimeOffset.UtcNow.AddHours(-1) };
        using var teamB = _hub.ClientWith(AccessKeys.TeamB);
        using var reader = _hub.ClientWith(AccessKeys.OrdersReader);

        Assert.Equal(HttpStatusCode.Forbidden, (await teamB.PostAsJsonAsync($"/v1/listeners/{listener}/replays", body, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await teamB.GetAsync($"/v1/listeners/{listener}/replays", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/v1/listeners/{listener}/replays", body, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.Http.PostAsJsonAsync("/v1/listeners/nope/replays", body, Cancel)).StatusCode);
        var unknownJob = await _hub.Http.GetAsync($"/v1/listeners/{listener}/replays/nope", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
        Assert.Equal("jobId", JsonNode.Parse(await unknownJob.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_deliver_an_auth0_entry_of_a_since_replay_exactly_as_it_was_delivered_live()
    {
        await using var late = await WebhookReceiver.StartAsync();
        await RegisterAsync(new { name = "auth0-live", events = new[] { "auth0.#" }, delivery = new { type = "webhook", url = _receiver.Url } });
        var record = Auth0Entries.Record("f", logId: Auth0Entries.NewLogId());
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(Auth0Entries.JsonArray([record]))).StatusCode);
        var liveDelivery = await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.ToList()), r => r.Count >= 1, what: "the live Auth0 delivery");
        await Eventually.UntilAsync(() => ItemsAsync("/v1/events?name=auth0.%23"), items => items.Count >= 1, what: "the entry in the event log");

        var registered = await _hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "auth0-since", events = new[] { "auth0.#" }, delivery = new { type = "webhook", url = late.Url }, since = DateTimeOffset.UtcNow.AddDays(-400) }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        late.Secret = listener["secret"]!.GetValue<string>();
        var replayedDelivery = await Eventually.UntilAsync(() => Task.FromResult(late.Received.ToList()), r => r.Count >= 1, what: "the since delivery");

        var live = Assert.Single(liveDelivery);
        var replayed = Assert.Single(replayedDelivery);
        Assert.Equal(live.WebhookId, replayed.WebhookId);
        Assert.Equal(live.Body, replayed.Body);
        // Checked with the secret now known: the job can deliver before the registration's answer gives the test its secret.
        Assert.True(late.Verifies(replayed));
        var jobs = (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener["id"]}/replays", Cancel))!["items"]!.AsArray();
        var job = await Eventually.UntilAsync(() => JobAsync(listener["id"]!.GetValue<string>(), Assert.Single(jobs)!["id"]!.GetValue<string>()), j => j["state"]!.GetValue<string>() == "done", what: "the since job done");
        Assert.Equal(("since", 1), (job["kind"]!.GetValue<string>(), job["delivered"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Should_replay_the_dead_letters_a_selection_of_names_times_and_last_status_takes()
    {
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _receiver.StatusFor = id => statuses.GetValueOrDefault(id, 200);
        var listener = await RegisterAsync(new { name = "dead", events = new[] { "dl.*" }, delivery = new { type = "webhook", url = _receiver.Url }, retry = new { maxAttempts = 1 } });
        var now = DateTimeOffset.UtcNow;
        // The receiver's answer is decided by id, so each id is known before its event is emitted.
        var ids = new[] { ("dl.a", 503, now.AddHours(-1)), ("dl.a", 500, now.AddHours(-1)), ("dl.b", 503, now.AddHours(-1)), ("dl.a", 503, now.AddHours(-5)) }
            .Select(e => (Id: Guid.NewGuid().ToString("N"), e.Item1, e.Item2, e.Item3)).ToList();
        foreach (var (id, name, status, time) in ids)
        {
            statuses[id] = status;
            var response = await _hub.Http.PostAsJsonAsync("/v1/events", new { id, name, payload = new { status }, time }, Cancel);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await Eventually.UntilAsync(
            async () => (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/dead-letters", Cancel))!["items"]!.AsArray().Count, n => n >= 4, what: "four dead letters");
        var bad = await _hub.Http.PostAsJsonAsync($"/v1/listeners/{listener}/dead-letters/replay", new { lastStatus = new[] { 42 } }, Cancel);
        Assert.Equal("lastStatus", JsonNode.Parse(await bad.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
        var unknown = await _hub.Http.PostAsJsonAsync($"/v1/listeners/{listener}/dead-letters/replay", new { evnts = new[] { "dl.a" } }, Cancel);
        Assert.Equal("evnts", JsonNode.Parse(await unknown.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());

        statuses.Clear();
        var replay = await _hub.Http.PostAsJsonAsync($"/v1/listeners/{listener}/dead-letters/replay", new { events = new[] { "dl.a" }, from = now.AddHours(-2), lastStatus = new[] { 503 } }, Cancel);
        var replayText = await replay.Content.ReadAsStringAsync(Cancel);
        Assert.True(replay.StatusCode == HttpStatusCode.OK, replayText);
        Assert.Equal(1, JsonNode.Parse(replayText)!["replayed"]!.GetValue<int>());
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count(r => r.WebhookId == ids[0].Id)), n => n >= 2, what: "the selected dead letter delivered again");
        var dead = await Eventually.UntilAsync(
            async () => (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/dead-letters", Cancel))!["items"]!.AsArray().Select(d => d!["eventId"]!.GetValue<string>()).ToHashSet(),
            d => d.Count == 3,
            what: "the other three still dead");
        Assert.Equal(ids.Skip(1).Select(i => i.Id).ToHashSet(), dead);
    }

    async Task<HttpResponseMessage> StartAsync(string listener, object body) => await _hub.Http.PostAsJsonAsync($"/v1/listeners/{listener}/replays", body, Cancel);

    async Task<JsonNode> JobAsync(string listener, string job) => (await _hub.Http.GetFromJsonAsync<JsonNode>($"/v1/listeners/{listener}/replays/{job}", Cancel))!;

    async Task<string> RegisterAsync(object body)
    {
        var response = await _hub.Http.PostAsJsonAsync("/v1/listeners", body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var json = JsonNode.Parse(text)!;
        _receiver.Secret = json["secret"]!.GetValue<string>();
        return json["id"]!.GetValue<string>();
    }

    async Task<string> EmitAsync(string name, object payload, DateTimeOffset time)
    {
        var response = await _hub.Http.PostAsJsonAsync("/v1/events", new { name, payload, time }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>();
    }

    async Task<JsonArray> ItemsAsync(string path) => JsonNode.Parse(await _hub.Http.GetStringAsync(path, Cancel))!["items"]!.AsArray();
}
