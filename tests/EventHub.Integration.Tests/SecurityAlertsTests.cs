using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// Security detections in production shape (host processes, RabbitMQ, PostgreSQL): an Auth0 batch with a brute-force
/// burst becomes one alert, stored in the event log and delivered to a webhook listener on <c>security.#</c>.
/// </summary>
public sealed class SecurityAlertsTests(BrokerFixture broker, PostgresFixture postgres)
{
    const string BruteForce = "security.brute_force.detected";
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_deliver_exactly_one_brute_force_alert_to_a_listener_on_security_events()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "pager", events = new[] { "security.#" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await host.WaitForOutputAsync($"Delivering to listener {listener["id"]!.GetValue<string>()}");

        var burst = FailedLogins("auth0|61823277a44a21007221a59a", 12, Start);
        await http.PostAuth0Async(burst);
        await http.PostAuth0Async(burst);
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Where(r => r.Body.Contains(BruteForce, StringComparison.Ordinal)).ToList()),
            deliveries => deliveries.Count >= 1,
            what: "the brute-force alert at the listener");

        // Another account's burst, posted after the first was handled twice: once its alert is here, a second alert
        // for the first account would have been too.
        await http.PostAuth0Async(burst);
        await http.PostAuth0Async(FailedLogins("auth0|second-account", 10, Start.AddMinutes(1)));
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Count(r => r.Body.Contains("auth0|second-account", StringComparison.Ordinal))),
            count => count >= 1,
            what: "the second account's alert");

        var first = Assert.Single(receiver.Received, r => r.Body.Contains("auth0|61823277a44a21007221a59a", StringComparison.Ordinal));
        Assert.True(first.SignatureValid);
        var delivered = JsonNode.Parse(first.Body)!;
        Assert.Equal(BruteForce, delivered["name"]!.GetValue<string>());
        Assert.Equal(first.WebhookId, delivered["id"]!.GetValue<string>());
        Assert.Equal(10, delivered["payload"]!["count"]!.GetValue<int>());
        // Which ten depends on the order the broker handed them over; they are ten distinct entries of the burst.
        var logIds = delivered["payload"]!["logIds"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(10, logIds.Distinct().Count());
        Assert.Subset(burst.Select(e => e["log_id"]!.GetValue<string>()).ToHashSet(), logIds.ToHashSet());
        // Delivered is not stored: the event log's consumer reads the alert on a queue of its own.
        using var found = await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{first.WebhookId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the alert in the event log");
        var stored = JsonNode.Parse(await found.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal("eventhub.security", stored["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_count_right_and_alert_once_per_account_when_two_copies_share_the_stream()
    {
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        await using var copyA = await HostProcess.StartAsync(settings);
        await using var copyB = await HostProcess.StartAsync(settings);
        await Task.WhenAll(copyA.WaitForOutputAsync("Bus started: rabbitmq://"), copyB.WaitForOutputAsync("Bus started: rabbitmq://"));
        using var httpA = HubSettings.ClientFor(copyA);
        using var httpB = HubSettings.ClientFor(copyB);

        // Exactly at the threshold: a lost update leaves an account at 9 (no alert); a double count alerts one at 9.
        var attacked = Enumerable.Range(0, 6).Select(i => $"auth0|attacked-{i}").ToList();
        var almost = Enumerable.Range(0, 3).Select(i => $"auth0|almost-{i}").ToList();
        var entries = attacked.SelectMany(u => FailedLogins(u, 10, Start)).Concat(almost.SelectMany(u => FailedLogins(u, 9, Start))).ToList();
        // Interleaved small batches, each sent to both copies, so both work on every account at once.
        var batches = entries.OrderBy(e => e["log_id"]!.GetValue<string>(), StringComparer.Ordinal).Chunk(5).ToList();
        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in batches) await httpA.PostAuth0Async(batch); }, Cancel),
            Task.Run(async () => { foreach (var batch in Enumerable.Reverse(batches)) await httpB.PostAuth0Async(batch); }, Cancel));

        await Eventually.UntilAsync(() => AlertsAsync(httpA), alerts => alerts.Count >= attacked.Count, limit: Eventually.DefaultLimit, what: "one alert per attacked account");
        await httpB.PostAuth0Async(FailedLogins("auth0|last", 10, Start));
        var alerts = await Eventually.UntilAsync(() => AlertsAsync(httpA), a => a.Any(x => x["payload"]!.ToJsonString().Contains("auth0|last", StringComparison.Ordinal)), what: "the last account's alert");

        var users = alerts.Select(a => a["payload"]!).Select(p => (User: p["user"]!.GetValue<string>(), Count: p["count"]!.GetValue<int>())).ToList();
        Assert.Equal([.. attacked, "auth0|last"], users.Select(u => u.User).Order(StringComparer.Ordinal));
        Assert.All(users, u => Assert.Equal(10, u.Count));
    }

    static async Task<List<JsonNode>> AlertsAsync(HttpClient http)
    {
        var page = JsonNode.Parse(await http.GetStringAsync($"/v1/events?name={BruteForce}&limit=1000", Cancel))!;
        return [.. page["items"]!.AsArray().Select(i => i!)];
    }


    /// <summary>
    /// Failed logins of one account, 20 seconds apart: the real failed-login entries of the shared corpus (f, fu, fp)
    /// when it is here, re-addressed to the account with fresh log ids and dates; else entries written from Auth0's schema.
    /// </summary>
    static List<JsonObject> FailedLogins(string user, int count, DateTimeOffset start)
    {
        var templates = Templates();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var logId = Auth0Entries.NewLogId();
            var record = (JsonObject)templates[i % templates.Count].DeepClone();
            record["log_id"] = logId;
            return record
                .With("log_id", logId)
                .With("user_id", user)
                .With("user_name", user.Replace("auth0|", "", StringComparison.Ordinal) + "@example.com")
                .With("date", start.AddSeconds(20 * i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        })];
    }

    static List<JsonObject> Templates()
    {
        var file = SharedCorpus.Auth0FixturesDirectory() is { } directory ? Path.Combine(directory, "elastic-login-failure.json") : null;
        if (file is null || !File.Exists(file))
            return [Auth0Entries.Record("f"), Auth0Entries.Record("fp"), Auth0Entries.Record("fu")];
        return [.. JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(n => n!.AsObject()).Where(r => r["data"]!["type"]!.GetValue<string>() is "f" or "fp" or "fu")];
    }
}
