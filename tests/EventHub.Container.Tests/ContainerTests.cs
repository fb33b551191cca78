using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Container.Tests;

/// <summary>
/// The deployable image, built from docker/Dockerfile as the README says, run as two copies on the host network against
/// a private RabbitMQ node and PostgreSQL cluster: what an operator deploys is what is tested.
/// </summary>
public sealed class ContainerTests(BrokerFixture broker, PostgresFixture postgres, ImageFixture image)
{
    internal const string Auth0Token = "container-auth0-token";
    const string ApiKey = "container-api-key-0123456789abcdef0123456789";
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Image_should_run_as_a_non_root_user_with_a_health_check_an_exposed_port_and_no_settings_baked_in()
    {
        var inspected = JsonNode.Parse(await Podman.RunAsync(TimeSpan.FromSeconds(30), "image", "inspect", image.Tag))![0]!;
        var config = inspected["Config"]!;

        Assert.Equal("1654:1654", config["User"]!.GetValue<string>());
        Assert.Equal(["CMD", "/app/EventHub.Host", "--healthcheck"], inspected["Healthcheck"]!["Test"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("8080/tcp", config["ExposedPorts"]!.AsObject().Select(p => p.Key));
        var environment = config["Env"]!.AsArray().Select(e => e!.GetValue<string>().Split('=')[0]).ToList();
        Assert.Contains("ASPNETCORE_HTTP_PORTS", environment);
        Assert.DoesNotContain(environment, name => name.StartsWith("EventHub__Auth0", StringComparison.Ordinal)
            || name.StartsWith("EventHub__Keys", StringComparison.Ordinal)
            || name.StartsWith("ConnectionStrings", StringComparison.Ordinal)
            || name.Contains("Password", StringComparison.OrdinalIgnoreCase));

        var files = await Podman.RunAsync(TimeSpan.FromSeconds(60), "run", "--rm", "--network", "none", "--entrypoint", "/bin/ls", image.Tag, "-A", "/app");
        Assert.Contains("EventHub.Host", files.Split('\n'));
        Assert.Contains("appsettings.json", files.Split('\n'));
        Assert.DoesNotContain("appsettings.Development.json", files, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_copies_should_deliver_auth0_entries_stay_healthy_and_stop_cleanly_losing_nothing_acknowledged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["EventHub__Transport"] = "RabbitMq",
            ["EventHub__RabbitMq__Host"] = broker.Node.Host,
            ["EventHub__RabbitMq__Port"] = broker.Node.Port.ToString(CultureInfo.InvariantCulture),
            ["EventHub__Database"] = "Postgres",
            ["ConnectionStrings__EventHub"] = await postgres.Cluster.CreateDatabaseAsync(),
            ["EventHub__Auth0__Tokens__0"] = Auth0Token,
            ["EventHub__Keys__ops"] = ApiKey,
            ["EventHub__Keys__ops__Scopes__0"] = "admin",
            // The receiver is on 127.0.0.1, which the SSRF guard refuses by default.
            ["EventHub__Listeners__AllowPrivateTargets"] = "true",
            ["EventHub__Listeners__SyncInterval"] = "00:00:00.500",
            ["EventHub__Bus__StopTimeout"] = "00:00:05",
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);

        await using var copyA = HubContainer.Start(image.Tag, settings);
        await copyA.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(2));
        await using var copyB = HubContainer.Start(image.Tag, settings);
        await copyB.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(2));

        var registered = await http.PostAsJsonAsync(
            new Uri(copyA.BaseAddress, "/v1/listeners"),
            new { name = "security", events = new[] { "auth0.#" }, delivery = new { type = "webhook", url = receiver.Url } },
            Cancel);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, copyA.Output);
        receiver.Secret = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!["secret"]!.GetValue<string>();

        var first = await PostAuth0BatchAsync(http, copyB, 20);
        var delivered = await WaitForDeliveriesAsync(receiver, first, copyA, copyB);
        Assert.All(delivered, d => Assert.True(d.SignatureValid, d.Body));

        foreach (var copy in new[] { copyA, copyB })
        {
            Assert.NotEqual(0, await copy.ProcessUidAsync());
            var (healthy, output) = await copy.HealthCheckAsync();
            Assert.True(healthy == 0, $"podman healthcheck run {copy.Name} answered {healthy}: {output}");
        }

        // Acknowledged by copy A just before it is stopped: whatever it had not delivered yet, copy B must.
        var second = await PostAuth0BatchAsync(http, copyA, 20);
        Assert.Equal(0, await copyA.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Application is shutting down", copyA.Output, StringComparison.Ordinal);

        await WaitForDeliveriesAsync(receiver, [.. first, .. second], copyB);
        foreach (var copy in new[] { copyA, copyB })
        {
            // JSON logs that lead to traces, and that hold neither the secrets they were given nor the entries' personal data.
            Assert.Matches("\"@tr\":\"[0-9a-f]{32}\"", copy.Output);
            foreach (var secret in new[] { Auth0Token, ApiKey, receiver.Secret!, "jane.doe@example.com", "203.0.113.7" })
                Assert.DoesNotContain(secret, copy.Output, StringComparison.Ordinal);
        }

        foreach (var id in second)
        {
            using var stored = await http.GetAsync(new Uri(copyB.BaseAddress, $"/v1/events/{id}"), Cancel);
            Assert.True(stored.StatusCode == HttpStatusCode.OK, $"event {id} acknowledged by copy A is not in the event log");
        }
    }

    static Task<List<string>> PostAuth0BatchAsync(HttpClient http, HubContainer copy, int count) => PostAuth0BatchAsync(http, copy.BaseAddress, count, () => copy.Output);

    /// <summary>Posts one Auth0 batch of failed and successful logins; returns their log_ids. <paramref name="log"/> explains a refusal.</summary>
    internal static async Task<List<string>> PostAuth0BatchAsync(HttpClient http, Uri hub, int count, Func<string> log)
    {
        var records = Enumerable.Range(0, count).Select(i => Auth0Entries.Record(i % 2 == 0 ? "f" : "s")).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub, "/webhooks/auth0"))
        {
            Content = new StringContent(Auth0Entries.JsonArray(records), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Auth0Token}");
        using var response = await http.SendAsync(request, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {log()}");
        return [.. records.Select(r => r["log_id"]!.GetValue<string>())];
    }

    static async Task<List<WebhookReceiver.Delivery>> WaitForDeliveriesAsync(WebhookReceiver receiver, IReadOnlyCollection<string> ids, params HubContainer[] copies)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            var delivered = receiver.Received.Where(d => ids.Contains(d.WebhookId)).ToList();
            if (delivered.Select(d => d.WebhookId).Distinct().Count() == ids.Count)
                return delivered;
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                var missing = ids.Except(delivered.Select(d => d.WebhookId)).ToList();
                throw new TimeoutException(
                    $"{missing.Count} of {ids.Count} acknowledged entries were never delivered ({string.Join(", ", missing.Take(5))})\n"
                    + string.Join("\n", copies.Select(c => $"--- {c.Name}\n{c.Output}")));
            }
        }
    }
}
