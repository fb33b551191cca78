using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// Sigma rules on the real host (process, RabbitMQ, PostgreSQL): an operator's folder with the README's worked example
/// and a broken file, the rules listed and refused, the test endpoint, and the correlation's one alert reaching a
/// webhook listener on <c>security.#</c>.
/// </summary>
public sealed class SigmaDetectionsTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    // The README's worked example, verbatim.
    const string PushBombing = """
        title: Push notifications to one user
        name: push_burst
        logsource:
            product: auth0
        detection:
            selection:
                data.type: gd_send_pn
            condition: selection
        ---
        title: Push bombing
        name: push_bombing
        level: high
        correlation:
            type: event_count
            rules: [push_burst]
            group-by: [data.user_id]
            timespan: 10m
            condition:
                gte: 5
        """;

    [Fact]
    public async Task Should_load_an_operator_folder_answer_the_test_endpoint_and_deliver_one_alert_per_episode()
    {
        var folder = Directory.CreateTempSubdirectory("eventhub-rules-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "push.yml"), PushBombing, Cancel);
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.yml"), "title: Broken\ndetection:\n    selection:\n        data.type|sounds_like: f\n    condition: selection\n", Cancel);
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Detections__RulesPath"] = folder;
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        await host.WaitForOutputAsync("Detection rule refused: broken.yml line 4");
        using var http = HubSettings.ClientFor(host);

        var list = JsonNode.Parse(await http.GetStringAsync("/v1/detections", Cancel))!;
        var rules = list["rules"]!.AsArray().Select(r => r!).ToList();
        var bombing = Assert.Single(rules, r => r["name"]!.GetValue<string>() == "push_bombing");
        Assert.Equal(("push.yml", "event_count", "security.detection.push_bombing"), (bombing["file"]!.GetValue<string>(), bombing["correlation"]!.GetValue<string>(), bombing["event"]!.GetValue<string>()));
        Assert.Contains(rules, r => r["file"]!.GetValue<string>() == "builtin/sms_bombing.yml");
        var refused = Assert.Single(list["refused"]!.AsArray());
        Assert.Equal(("broken.yml", 4), (refused!["file"]!.GetValue<string>(), refused["line"]!.GetValue<int>()));
        Assert.Contains("unknown modifier 'sounds_like'", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var tested = await http.PostAsJsonAsync("/v1/detections/test", new { entry = new { log_id = "900test", data = new { type = "gd_send_pn", user_id = "auth0|1" } } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var match = Assert.Single(JsonNode.Parse(await tested.Content.ReadAsStringAsync(Cancel))!["matches"]!.AsArray(), m => m!["name"]!.GetValue<string>() == "push_burst")!;
        Assert.False(match["alerts"]!.GetValue<bool>());
        Assert.Equal(["push_bombing"], match["correlations"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["selection"], match["selections"]!.AsArray().Select(c => c!.GetValue<string>()));

        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "pager", events = new[] { "security.#" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        receiver.Secret = listener["secret"]!.GetValue<string>();
        await host.WaitForOutputAsync($"Delivering to listener {listener["id"]!.GetValue<string>()}");

        var start = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var pushes = Enumerable.Range(0, 7).Select(i => Auth0Entries.Record("gd_send_pn", user: "auth0|bombed").With("date", start.AddMinutes(i).ToString("O"))).ToList();
        await http.PostAuth0Async(pushes.AsEnumerable().Reverse());
        await http.PostAuth0Async(pushes);
        var alerts = await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Where(r => r.Body.Contains("security.detection.push_bombing", StringComparison.Ordinal)).ToList()),
            received => received.Count >= 1,
            what: "the push-bombing alert at the listener");

        // A later single-entry alert for the same user arrives after anything the first posts could still raise.
        // The test reads the entry from the event log, which its own consumer fills apart from the detections: 404 until then.
        var tested2 = await Eventually.UntilAsync(
            () => http.PostAsJsonAsync("/v1/detections/test", new { logId = pushes[0]["log_id"]!.GetValue<string>() }, Cancel),
            response => response.StatusCode != HttpStatusCode.NotFound,
            what: "the pushed entry in the event log");
        Assert.Equal(HttpStatusCode.OK, tested2.StatusCode);
        await http.PostAuth0Async([Auth0Entries.Record("pwd_leak", user: "auth0|bombed")]);
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Count(r => r.Body.Contains("security.detection.leaked_password_login", StringComparison.Ordinal))),
            count => count >= 1,
            what: "the leaked-password alert");
        var alert = Assert.Single(receiver.Received, r => r.Body.Contains("security.detection.push_bombing", StringComparison.Ordinal));
        Assert.True(alert.SignatureValid);
        var payload = JsonNode.Parse(alert.Body)!["payload"]!;
        Assert.Equal("auth0|bombed", payload["groupBy"]!["data.user_id"]!.GetValue<string>());
        Assert.Equal(5, payload["logIds"]!.AsArray().Count);
        Assert.Equal("high", payload["level"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[]", "body")]
    [InlineData("{}", "entry")]
    [InlineData("""{"entry": "x"}""", "entry")]
    [InlineData("""{"entry": {"log_id": "1"}}""", "entry.data")]
    [InlineData("""{"entry": {"log_id": 7, "data": {}}}""", "entry.log_id")]
    [InlineData("""{"entry": {"data": {"type": 5}}}""", "entry.data.type")]
    [InlineData("""{"logId": ""}""", "logId")]
    [InlineData("""{"logId": 12}""", "logId")]
    public async Task Should_refuse_a_bad_test_request_with_a_problem_naming_the_field(string body, string field)
    {
        await using var hub = new EmbeddedHub();

        var response = await hub.Http.PostAsync("/v1/detections/test", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_answer_404_for_a_log_id_not_in_the_event_log()
    {
        await using var hub = new EmbeddedHub();

        var unknown = await hub.Http.PostAsJsonAsync("/v1/detections/test", new { logId = "900nothing" }, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("logId", JsonNode.Parse(await unknown.Content.ReadAsStringAsync(Cancel))!["field"]!.GetValue<string>());
    }
}
