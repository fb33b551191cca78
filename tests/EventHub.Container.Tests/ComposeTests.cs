using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Container.Tests;

/// <summary>
/// docker/compose.yaml run as the README says, with podman-compose: the image built for this run, stand-ins for the
/// RabbitMQ and PostgreSQL images (official images cannot be pulled here; see ComposeStandIns) and free published ports.
/// Up, ready, deliveries; down and up again with the data on the stack's volumes.
/// </summary>
public sealed class ComposeTests(ImageFixture image)
{
    const string ApiKey = "compose-api-key-0123456789abcdef0123456789";
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan ComposeLimit = TimeSpan.FromMinutes(5);
    static readonly string StandIns = Path.Combine(HostProcess.RepositoryRoot(), "tests", "EventHub.Container.Tests", "ComposeStandIns");

    [Fact]
    public async Task Compose_stack_should_come_up_deliver_an_auth0_batch_and_an_emit_and_keep_its_data_across_down_and_up()
    {
        await using var receiver = await WebhookReceiver.StartAsync(forContainers: true);
        var hubs = new[] { FreePort.Next(), FreePort.Next() }.Select(port => new Uri($"http://127.0.0.1:{port}")).ToList();
        var environment = new Dictionary<string, string>(Podman.Environment)
        {
            ["EVENTHUB_IMAGE"] = image.Tag,
            ["RABBITMQ_IMAGE"] = await StandInAsync("rabbitmq"),
            ["POSTGRES_IMAGE"] = await StandInAsync("postgres"),
            ["EVENTHUB_1_PORT"] = hubs[0].Port.ToString(CultureInfo.InvariantCulture),
            ["EVENTHUB_2_PORT"] = hubs[1].Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_UI_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_PASSWORD"] = "compose-rabbitmq-password",
            ["POSTGRES_PASSWORD"] = "compose-postgres-password",
            ["AUTH0_LOG_STREAM_TOKEN"] = ContainerTests.Auth0Token,
            ["EVENTHUB_API_KEY"] = ApiKey,
        };
        var project = $"eventhub-test-{Guid.NewGuid():N}"[..22];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);
        try
        {
            await ComposeAsync(environment, project, "up", "-d");
            await ReadyAsync(http, hubs, environment, project);
            var registered = await http.PostAsJsonAsync(
                new Uri(hubs[0], "/v1/listeners"),
                new { name = "compose", events = new[] { "auth0.#", "order.*" }, delivery = new { type = "webhook", url = receiver.Url } },
                Cancel);
            var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
            Assert.True(registered.StatusCode == HttpStatusCode.Created, listener.ToJsonString());
            receiver.Secret = listener["secret"]!.GetValue<string>();

            var logIds = await ContainerTests.PostAuth0BatchAsync(http, hubs[1], 10, () => "");
            string[] expected = [.. logIds, await EmitAsync(http, hubs[0], "order-before-down")];
            await DeliveredAsync(receiver, expected);

            await ComposeAsync(environment, project, "down");
            await ComposeAsync(environment, project, "up", "-d");
            await ReadyAsync(http, hubs, environment, project);
            foreach (var id in expected)
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(hubs[1], $"/v1/events/{Uri.EscapeDataString(id)}"), Cancel)).StatusCode);
            await DeliveredAsync(receiver, [await EmitAsync(http, hubs[1], "order-after-up")]);
            Assert.All(receiver.Received, delivery => Assert.True(delivery.SignatureValid, delivery.Body));
        }
        finally
        {
            await TryComposeAsync(environment, project, "down", "-v");
            // podman-compose 1.0.3 leaves the network it created behind.
            await Podman.TryAsync(TimeSpan.FromSeconds(60), "network", "rm", "-f", $"{project}_default");
        }
    }

    /// <summary>The stand-in image, built once per machine and kept, as the Debian base image is.</summary>
    static async Task<string> StandInAsync(string name)
    {
        var tag = $"localhost/eventhub-standin-{name}:bookworm";
        if ((await Podman.TryAsync(TimeSpan.FromSeconds(30), "image", "exists", tag)).ExitCode != 0)
        {
            // Host networking for apt: the build reaches the machine's Debian mirror as the machine does.
            await Podman.RunAsync(ComposeLimit, "build", "--network", "host", "--format", "docker", "--build-arg", $"BASE_IMAGE={Podman.BaseImage}",
                "-f", Path.Combine(StandIns, $"{name}.Dockerfile"), "-t", tag, StandIns);
        }

        return tag;
    }

    static async Task ComposeAsync(IDictionary<string, string> environment, string project, params string[] command)
    {
        var (code, output) = await TryComposeAsync(environment, project, command);
        Assert.True(code == 0, $"podman-compose {string.Join(' ', command)} failed ({code}):\n{output}");
    }

    static Task<(int ExitCode, string Output)> TryComposeAsync(IDictionary<string, string> environment, string project, params string[] command)
    {
        if (!ProcessRunner.CommandExists("podman-compose"))
            throw new InvalidOperationException("podman-compose is not installed: run ./build.sh test (it installs it with apt as root).");
        var root = HostProcess.RepositoryRoot();
        return ProcessRunner.RunAsync(
            "podman-compose",
            ["-p", project, "-f", Path.Combine(root, "docker", "compose.yaml"), "-f", Path.Combine(StandIns, "compose.test.yaml"), .. command],
            environment,
            ComposeLimit);
    }

    static async Task ReadyAsync(HttpClient http, IEnumerable<Uri> hubs, IDictionary<string, string> environment, string project)
    {
        foreach (var hub in hubs)
        {
            try
            {
                await Eventually.UntilAsync(
                    async () =>
                    {
                        try
                        {
                            return (await http.GetAsync(new Uri(hub, "/health/ready"), Cancel)).StatusCode;
                        }
                        catch (HttpRequestException)
                        {
                            return HttpStatusCode.ServiceUnavailable;
                        }
                    },
                    status => status == HttpStatusCode.OK,
                    TimeSpan.FromMinutes(3),
                    $"{hub} ready");
            }
            catch (Exception) when (!Cancel.IsCancellationRequested)
            {
                var (_, logs) = await TryComposeAsync(environment, project, "logs");
                throw new InvalidOperationException($"{hub} did not become ready:\n{logs}");
            }
        }
    }

    static async Task<string> EmitAsync(HttpClient http, Uri hub, string id)
    {
        var response = await http.PostAsJsonAsync(new Uri(hub, "/v1/events"), new { id, name = "order.placed", payload = new { } }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return id;
    }

    static Task DeliveredAsync(WebhookReceiver receiver, IReadOnlyCollection<string> ids) =>
        Eventually.UntilAsync(
            () => Task.FromResult(receiver.Received.Select(d => d.WebhookId).Intersect(ids).Count()),
            count => count == ids.Count,
            TimeSpan.FromSeconds(90),
            $"{ids.Count} deliveries");
}
