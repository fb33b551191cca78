using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Npgsql;

namespace EventHub.Integration.Tests;

/// <summary>
/// <c>DELETE /v1/personal-data</c> in production shape (host process, RabbitMQ, PostgreSQL): after it, no table holds
/// the user's id, email or IP address (checked with SQL over every table), and other users' data stays.
/// </summary>
public sealed class PersonalDataTests(BrokerFixture broker, PostgresFixture postgres)
{
    const string User = "auth0|erase-me-61f0c2";
    const string Email = "erase.me@example.com";
    const string Ip = "198.51.100.77";
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erasing_a_user_leaves_no_trace_of_their_email_or_ip_in_any_table()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__StoreResponses"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "siem", events = new[] { "auth0.#" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        await host.WaitForOutputAsync($"Delivering to listener {listener}");

        var start = new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
        var entries = Enumerable.Range(0, 12).Select(i => Auth0Entries.Record("f", user: User, ip: Ip).With("user_name", Email).With("date", Date(start.AddSeconds(10 * i))))
            .Append(Auth0Entries.Record("s", user: "auth0|keep-me", ip: "203.0.113.50").With("user_name", "keep.me@example.com").With("date", Date(start)));
        using var batch = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(Auth0Entries.JsonArray(entries)) };
        batch.Headers.TryAddWithoutValidation("Authorization", HubSettings.Auth0Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(batch, Cancel)).StatusCode);
        await Eventually.UntilAsync(() => CountAsync(http, "/v1/events?name=security.%23&limit=1000"), count => count == 1, what: "the brute-force alert stored");
        await Eventually.UntilAsync(() => CountAsync(http, $"/v1/listeners/{listener}/transactions?state=succeeded&limit=1000"), count => count == 13, what: "every entry delivered");
        await Eventually.UntilAsync(() => CountAsync(http, "/v1/events?name=auth0.%23&limit=1000"), count => count == 13, what: "every entry stored");
        Assert.NotEqual(0, await TracesAsync(settings["ConnectionStrings__EventHub"], Email, Ip, User));

        var erased = await http.DeleteAsync($"/v1/personal-data?user_id={Uri.EscapeDataString(User)}", Cancel);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var removed = (await erased.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["removed"]!;
        Assert.Equal(13, removed["events"]!.GetValue<int>());
        Assert.Equal(12, removed["deliveries"]!.GetValue<int>());
        Assert.True(removed["detections"]!.GetValue<int>() >= 1, removed.ToJsonString());
        Assert.Equal(0, await TracesAsync(settings["ConnectionStrings__EventHub"], Email, Ip, User));
        Assert.True(await TracesAsync(settings["ConnectionStrings__EventHub"], "keep.me@example.com") >= 2, "the other user's entry and delivery stay");
    }

    [Fact]
    public async Task Erasing_needs_an_admin_key_and_a_user_id()
    {
        await using var hub = new EmbeddedHub(AccessKeys.Settings());
        using var team = hub.ClientWith(AccessKeys.TeamA);

        var refused = await team.DeleteAsync("/v1/personal-data?user_id=auth0%7Cx", Cancel);
        var missing = await hub.Http.DeleteAsync("/v1/personal-data", Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("user_id", (await missing.Content.ReadFromJsonAsync<JsonObject>(Cancel))!["field"]!.GetValue<string>());
    }

    static string Date(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    static async Task<int> CountAsync(HttpClient http, string path) =>
        JsonNode.Parse(await http.GetStringAsync(path, Cancel))!["items"]!.AsArray().Count;

    /// <summary>Rows of every table of the hub's database whose text holds any of the values.</summary>
    static async Task<int> TracesAsync(string connectionString, params string[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
                tables.Add(reader.GetString(0));
        }

        Assert.Contains("sagas", tables);
        var traces = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\" t WHERE t::text LIKE ANY (@patterns)", connection);
            count.Parameters.AddWithValue("patterns", values.Select(v => $"%{v}%").ToArray());
            traces += (int)(long)(await count.ExecuteScalarAsync(Cancel))!;
        }

        return traces;
    }
}
