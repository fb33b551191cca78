using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;
using MassTransit;

namespace EventHub.Integration.Tests;

/// <summary>The Auth0 backfill in the real host (in process, in-memory bus, SQLite) against a fake Auth0 over real HTTP.</summary>
public sealed class Auth0BackfillTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_publish_only_what_the_stream_did_not_deliver_reading_every_page_once_through_429s_and_500s()
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        var settings = auth0.Settings();
        settings["EventHub:Auth0:Backfill:PageSize"] = "50";
        await using var hub = new EmbeddedHub(settings);
        await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "startup");

        var records = FakeAuth0.Entries(250);
        var streamed = records.Where((_, i) => i is >= 10 and < 20 or >= 120 and < 130).ToList();
        Assert.Equal(HttpStatusCode.OK, (await hub.PostAuth0Async(Auth0Entries.JsonArray(streamed))).StatusCode);
        auth0.Add(records);
        auth0.Plan(FakeAuth0.Fault.ServerError, FakeAuth0.Fault.RateLimited, FakeAuth0.Fault.RateLimitedWithRetryAfter, FakeAuth0.Fault.ServerError);

        var accepted = await hub.Http.PostAsJsonAsync("/v1/auth0/backfill", new { }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "request");

        var run = status["run"]!;
        Assert.Equal("done", run["state"]!.GetValue<string>());
        Assert.Equal(5, run["pages"]!.GetValue<int>());
        Assert.Equal(250, run["fetched"]!.GetValue<int>());
        Assert.Equal(230, run["published"]!.GetValue<int>());
        Assert.Equal(20, run["skipped"]!.GetValue<int>());
        var lastId = LogIdOf(records[^1]);
        Assert.Equal(lastId, status["checkpoint"]!.GetValue<string>());

        Assert.Equal(5, auth0.ServedPages.Count);
        Assert.Equal(auth0.ServedPages.Count, auth0.ServedPages.Distinct().Count());
        Assert.Equal(2, auth0.LogRequests.Count(r => r.Status == 500));
        Assert.Equal(2, auth0.LogRequests.Count(r => r.Status == 429));
        Assert.Equal(1, auth0.TokenRequests);

        // Every entry reached the bus once: the streamed ones from the webhook, the rest from the pull.
        var published = hub.Recorder.Published.Where(p => p.Message is IAuth0LogEvent).ToList();
        Assert.Equal(250, published.Count);
        Assert.Equal(records.Select(LogIdOf).Order(StringComparer.Ordinal), published.Select(p => ((IHubEvent)p.Message).EventId).Order(StringComparer.Ordinal));
        var pulledFailure = Assert.IsType<Auth0FailedLogin>(published.Single(p => ((IHubEvent)p.Message).EventId == LogIdOf(records[0])).Message);
        Assert.Equal("auth0.auth.login.fail.f", pulledFailure.Name);
        Assert.Equal("auth0:example-tenant", pulledFailure.Source);

        // The same entry arriving later from the stream is the same message: same contract, same MessageId.
        var pulledId = published.Single(p => ((IHubEvent)p.Message).EventId == LogIdOf(records[0])).MessageId;
        Assert.Equal(HttpStatusCode.OK, (await hub.PostAuth0Async(Auth0Entries.JsonArray([records[0]]))).StatusCode);
        var resent = hub.Recorder.Published.Where(p => p.Message is IHubEvent e && e.EventId == LogIdOf(records[0])).ToList();
        Assert.Equal(2, resent.Count);
        Assert.Equal(pulledId, resent[1].MessageId);
        Assert.IsType<Auth0FailedLogin>(resent[1].Message);
    }

    [Fact]
    public async Task Should_resume_from_the_checkpoint_after_a_restart()
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        var settings = auth0.Settings();
        settings["EventHub:Auth0:Backfill:PageSize"] = "20";
        settings["ConnectionStrings:EventHub"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-db-").FullName, "eventhub.db")}";
        var first = FakeAuth0.Entries(60);
        auth0.Add(first);

        string checkpoint;
        await using (var hub = new EmbeddedHub(settings))
        {
            var status = await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "startup");
            Assert.Equal(60, status["run"]!["published"]!.GetValue<int>());
            checkpoint = status["checkpoint"]!.GetValue<string>();
            Assert.Equal(LogIdOf(first[^1]), checkpoint);
        }

        var later = FakeAuth0.Entries(25, firstSequence: 60);
        auth0.Add(later);
        var requestsBefore = auth0.LogRequests.Count;
        var recorder = new PublishRecorder();
        await using (var hub = new EmbeddedHub(settings, services => services.AddPublishObserver(_ => recorder)))
        {
            var status = await WaitForRunAsync(hub.Http, run => run["from"]!.GetValue<string>() == checkpoint);
            Assert.Equal("done", status["run"]!["state"]!.GetValue<string>());
            Assert.Equal(25, status["run"]!["published"]!.GetValue<int>());
            Assert.Equal(LogIdOf(later[^1]), status["checkpoint"]!.GetValue<string>());
            Assert.Equal(checkpoint, auth0.LogRequests.Skip(requestsBefore).First().From);
            Assert.Equal(later.Select(LogIdOf), recorder.Messages<IAuth0LogEvent>().Select(e => ((IHubEvent)e).EventId).Order(StringComparer.Ordinal));
        }

        Assert.Equal(auth0.ServedPages.Count, auth0.ServedPages.Distinct().Count());
    }

    [Fact]
    public async Task Should_move_the_checkpoint_only_past_pages_the_broker_confirmed()
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        var records = FakeAuth0.Entries(30);
        auth0.Add(records);
        var settings = auth0.Settings();
        settings["EventHub:Auth0:Backfill:PageSize"] = "10";
        var gate = new PublishGate(LogIdOf(records[15]));
        var recorder = new PublishRecorder();
        // Connected before the bus starts: the startup run must not publish a single entry unobserved.
        await using var hub = new EmbeddedHub(settings, services => services.AddPublishObserver(_ => gate).AddPublishObserver(_ => recorder));

        var failed = await WaitForRunAsync(hub.Http, run => run["state"]!.GetValue<string>() == "failed");
        Assert.True(gate.Refused, failed.ToJsonString());
        Assert.Equal(LogIdOf(records[9]), failed["checkpoint"]!.GetValue<string>());
        Assert.Contains("broker", failed["run"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, failed["run"]!["pages"]!.GetValue<int>());

        gate.Open();
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Http.PostAsJsonAsync("/v1/auth0/backfill", new { }, Cancel)).StatusCode);
        var done = await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "request");
        Assert.Equal("done", done["run"]!["state"]!.GetValue<string>());
        Assert.Equal(LogIdOf(records[9]), done["run"]!["from"]!.GetValue<string>());
        Assert.Equal(LogIdOf(records[^1]), done["checkpoint"]!.GetValue<string>());
        Assert.Contains(recorder.Messages<IAuth0LogEvent>(), e => ((IHubEvent)e).EventId == LogIdOf(records[15]));
    }

    [Fact]
    public async Task Should_report_rejected_credentials_in_health_while_the_webhook_keeps_working()
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        auth0.Add(FakeAuth0.Entries(5));
        await using var hub = new EmbeddedHub(auth0.Settings(secret: "not-the-secret"));

        var status = await WaitForRunAsync(hub.Http, run => run["state"]!.GetValue<string>() == "failed");
        Assert.Contains("rejected the client credentials", status["run"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(status["checkpoint"]);

        var health = await hub.Http.GetAsync("/health", Cancel);
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", body["checks"]!["auth0-backfill"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("not-the-secret", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync("/health/ready", Cancel)).StatusCode);

        var streamed = Auth0Entries.Record("f");
        Assert.Equal(HttpStatusCode.OK, (await hub.PostAuth0Async(Auth0Entries.JsonArray([streamed]))).StatusCode);
        Assert.Contains(hub.Recorder.Messages<IAuth0LogEvent>(), e => ((IHubEvent)e).EventId == LogIdOf(streamed));
    }

    [Theory]
    [InlineData("""{"from": 42}""", "from")]
    [InlineData("""{"from": "not a log id!"}""", "from")]
    [InlineData("""{"from": "2999-01-01T00:00:00Z"}""", "from")]
    [InlineData("""[1]""", "body")]
    public async Task Should_refuse_a_bad_backfill_request_naming_the_field(string body, string field)
    {
        await using var auth0 = await FakeAuth0.StartAsync();
        await using var hub = new EmbeddedHub(auth0.Settings());

        var response = await hub.Http.PostAsync("/v1/auth0/backfill", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_backfill_from_a_time_and_say_so_when_backfill_is_off()
    {
        await using (var off = new EmbeddedHub())
        {
            Assert.Equal(HttpStatusCode.Conflict, (await off.Http.PostAsJsonAsync("/v1/auth0/backfill", new { }, Cancel)).StatusCode);
            Assert.Equal("Off", JsonNode.Parse(await off.Http.GetStringAsync("/v1/auth0/backfill", Cancel))!["mode"]!.GetValue<string>());
        }

        await using var auth0 = await FakeAuth0.StartAsync();
        var settings = auth0.Settings();
        settings["EventHub:Auth0:Backfill:InitialLookback"] = "00:00:00";
        await using var hub = new EmbeddedHub(settings);
        await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "startup");
        var records = FakeAuth0.Entries(7);
        auth0.Add(records);

        var since = DateTimeOffset.UtcNow.AddHours(-1);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Http.PostAsJsonAsync("/v1/auth0/backfill", new { from = since.ToString("O") }, Cancel)).StatusCode);
        var status = await WaitForRunAsync(hub.Http, run => run["trigger"]!.GetValue<string>() == "request");

        Assert.Equal("900" + since.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture), status["run"]!["from"]!.GetValue<string>()[..17]);
        Assert.Equal(7, status["run"]!["published"]!.GetValue<int>());
    }

    /// <summary>Waits until the backfill's current or last run has finished and matches.</summary>
    internal static Task<JsonNode> WaitForRunAsync(HttpClient http, Func<JsonNode, bool> match) =>
        Eventually.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/v1/auth0/backfill", Cancel))!,
            status => status["run"] is { } run && run["state"]!.GetValue<string>() != "running" && match(run),
            limit: Eventually.DefaultLimit,
            what: "a finished backfill run");

    internal static string LogIdOf(JsonObject record) => record["log_id"]!.GetValue<string>();
}
