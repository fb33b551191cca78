using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// Property-based fuzzing of every ingress of the host process on RabbitMQ and PostgreSQL (the stricter database):
/// random bodies, mutations of valid and real bodies, odd escapes and encodings. Whatever arrives is answered 2xx or 4xx,
/// never 5xx; the host stays alive and ready; what was accepted is stored; nothing ends in an error queue.
/// The seed is fixed so a failure replays; set EVENTHUB_FUZZ_SEED to explore others.
/// </summary>
public sealed class IngressFuzzTests(IngressFuzzTests.Hub hub) : IClassFixture<IngressFuzzTests.Hub>
{
    const int Cases = 120;
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("EVENTHUB_FUZZ_SEED"), out var seed) ? seed : 20261206;

    [Fact]
    public async Task Should_answer_every_log_stream_body_without_a_5xx_and_store_every_entry_of_an_accepted_batch()
    {
        var input = new HostileInput(Seed);
        var batches = new Auth0Batches("fuzz-log");
        batches.ReportSource("log stream fuzz");
        var accepted = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var (valid, ids) = batches.Next(5);
            var records = JsonNode.Parse(valid)!.AsArray();
            var target = input.Next(records.Count);
            var (mutated, change) = input.Mutate(records[target]!, "log_id");
            var body = "[" + string.Join(',', records.Select((r, n) => n == target ? mutated : r!.ToJsonString())) + "]";
            var (bytes, what) = i % 10 == 9 ? input.Garbage() : (Encoding.UTF8.GetBytes(body), $"record {target} {change}");
            var status = await hub.PostAsync("/webhooks/auth0", bytes, "application/json", gzip: i % 7 == 3, auth: ("Authorization", "Bearer " + Hub.Auth0Token));
            AssertNotServerError(status, "log stream", i, what);
            if (status == HttpStatusCode.OK && i % 10 != 9)
                accepted.AddRange(ids);
        }

        Assert.NotEmpty(accepted);
        await hub.AssertStoredAsync(accepted);
        await hub.AssertHealthyAsync();
    }

    [Fact]
    public async Task Should_answer_every_event_streams_body_without_a_5xx_and_store_what_it_accepts()
    {
        var input = new HostileInput(Seed + 1);
        var accepted = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var id = Auth0EventStreamEvents.NewEventId();
            var valid = i % 2 == 0 ? Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(id) : Auth0EventStreamEvents.Unknown(id: id);
            var (body, change) = input.Mutate(valid, "id");
            var (bytes, what) = i % 10 == 9 ? input.Garbage() : (Encoding.UTF8.GetBytes(body), change);
            var status = await hub.PostAsync("/webhooks/auth0/events", bytes, "application/cloudevents+json", gzip: i % 7 == 3, auth: ("Authorization", "Bearer " + Hub.EventStreamsToken));
            AssertNotServerError(status, "event streams", i, what);
            if (status == HttpStatusCode.OK && i % 10 != 9)
                accepted.Add(id);
        }

        await hub.AssertStoredAsync(accepted);
        await hub.AssertHealthyAsync();
    }

    [Fact]
    public async Task Should_answer_every_emit_body_and_idempotency_key_without_a_5xx_and_store_what_it_accepts()
    {
        var input = new HostileInput(Seed + 2);
        var accepted = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var id = "fuzz-emit-" + Guid.NewGuid().ToString("N");
            var buildable = i % 3 == 2;
            var valid = new JsonObject
            {
                [buildable ? "event" : "name"] = "order.placed",
                ["id"] = id,
                ["time"] = "2026-11-20T10:15:30Z",
                ["payload"] = new JsonObject { ["order"] = 42, ["customer"] = new JsonObject { ["email"] = "jane.doe@example.com", ["tags"] = new JsonArray("a", "b") } },
            };
            var (body, change) = input.Mutate(valid, "id");
            var (bytes, what) = i % 10 == 9 ? input.Garbage() : (Encoding.UTF8.GetBytes(body), change);
            var key = i % 4 == 1 ? HostileHeaderValue(input) : null;
            var status = await hub.PostAsync(buildable ? "/emit" : "/v1/events", bytes, "application/json", idempotencyKey: key);
            AssertNotServerError(status, buildable ? "/emit" : "emit", i, what + (key is null ? "" : $", Idempotency-Key {key}"));
            if (status == HttpStatusCode.Accepted && i % 10 != 9 && key is null)
                accepted.Add(id);
        }

        foreach (var escaped in HostileInput.EscapedStrings)
        {
            var status = await hub.PostAsync("/v1/events", Encoding.UTF8.GetBytes($$$"""{"id":"{{{escaped}}}","name":"order.placed","payload":{"v":"{{{escaped}}}"}}"""), "application/json");
            AssertNotServerError(status, "emit id", 0, escaped);
            status = await hub.PostAsync("/v1/events", Encoding.UTF8.GetBytes($$$"""{"name":"{{{escaped}}}","payload":{}}"""), "application/json");
            AssertNotServerError(status, "emit name", 0, escaped);
        }

        await hub.AssertStoredAsync(accepted);
        await hub.AssertHealthyAsync();
    }

    [Fact]
    public async Task Should_answer_every_listener_registration_change_and_acknowledgement_without_a_5xx()
    {
        var input = new HostileInput(Seed + 3);
        var pull = await hub.RegisterAsync("""{"name":"fuzz-pull","events":["order.*"],"delivery":{"type":"pull"}}""");
        for (var i = 0; i < Cases; i++)
        {
            var valid = new JsonObject
            {
                ["name"] = $"fuzz-{i}",
                ["platform"] = "fuzz",
                ["label"] = "a",
                ["events"] = new JsonArray("order.*", "auth0.#"),
                ["delivery"] = new JsonObject { ["type"] = "webhook", ["url"] = hub.Receiver.Url, ["timeoutSeconds"] = 5 },
                ["retry"] = new JsonObject { ["schedule"] = new JsonArray(0, 5) },
            };
            var (body, change) = input.Mutate(valid);
            var (bytes, what) = i % 10 == 9 ? input.Garbage() : (Encoding.UTF8.GetBytes(body), change);
            AssertNotServerError(await hub.PostAsync("/v1/listeners", bytes, "application/json"), "registration", i, what);

            var (patch, patchChange) = input.Mutate(new JsonObject { ["events"] = new JsonArray("order.*"), ["delivery"] = new JsonObject { ["url"] = hub.Receiver.Url } });
            AssertNotServerError(await hub.SendAsync(HttpMethod.Patch, $"/v1/listeners/{pull}", Encoding.UTF8.GetBytes(patch), "application/json"), "patch", i, patchChange);

            var (ack, ackChange) = input.Mutate(new JsonObject { ["status"] = "failed", ["output"] = new JsonObject { ["n"] = 1 }, ["error"] = "boom" });
            var eventId = Uri.EscapeDataString(Unescaped(input.EscapedString()));
            AssertNotServerError(await hub.PostAsync($"/v1/listeners/{pull}/transactions/{eventId}", Encoding.UTF8.GetBytes(ack), "application/json"), "acknowledgement", i, $"{ackChange} for event {eventId}");
        }

        await hub.AssertHealthyAsync();
    }

    [Fact]
    public async Task Should_answer_every_hostile_path_and_query_value_without_a_5xx()
    {
        string[] raw = ["%00", "%ED%A0%80", "%C0%AF", "%FF%FE", "%0D%0AX-Injected:%201", "%E2%80%AE", "..%2F..%2F", "%25", "a%00b", new string('a', 5000)];
        var values = raw.Concat(HostileInput.EscapedStrings.Take(20).Select(s => Uri.EscapeDataString(Unescaped(s)))).ToList();
        foreach (var value in values)
        {
            foreach (var path in new[]
            {
                $"/v1/events/{value}", $"/v1/events?name={value}", $"/v1/events?source={value}", $"/v1/events?since={value}", $"/v1/events?cursor={value}",
                $"/v1/events?limit={value}", $"/v1/listeners/{value}", $"/v1/listeners/{value}/transactions", $"/v1/listeners/{value}/dead-letters",
                $"/v1/auth0/backfill?tenant={value}",
            })
            {
                AssertNotServerError(await hub.SendAsync(HttpMethod.Get, path, null, null), "read", 0, path);
            }
        }

        await hub.AssertHealthyAsync();
    }

    static void AssertNotServerError(HttpStatusCode status, string ingress, int index, string what) =>
        Assert.True((int)status < 500, $"{ingress} case {index} (seed {Seed}) answered {(int)status}: {what}");

    /// <summary>What a JSON-escaped hostile string decodes to, invalid UTF-16 included (so it can go in a URL or header).</summary>
    static string Unescaped(string escaped)
    {
        var text = new StringBuilder();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length)
            {
                var next = escaped[++i];
                if (next == 'u' && i + 4 < escaped.Length)
                {
                    text.Append((char)Convert.ToInt32(escaped.Substring(i + 1, 4), 16));
                    i += 4;
                }
                else
                {
                    text.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => next });
                }
            }
            else
            {
                text.Append(escaped[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>Header values an HTTP client can send: printable ASCII noise, very long, Latin-1.</summary>
    static string HostileHeaderValue(HostileInput input) => input.Next(4) switch
    {
        0 => "'; DROP TABLE emitted_ids; --",
        1 => new string('k', 5000),
        2 => "caf%C3%A9-%00",
        _ => "<script>%00%0d%0a",
    };

    /// <summary>One host process on RabbitMQ and PostgreSQL for the class, with a webhook listener on every event so deliveries see the hostile payloads too.</summary>
    public sealed class Hub(BrokerFixture broker, PostgresFixture postgres) : IAsyncLifetime
    {
        public const string Auth0Token = HubSettings.Auth0Token;
        public const string EventStreamsToken = HubSettings.EventStreamsToken;

        HostProcess? _host;
        HttpClient? _http;
        string? _virtualHost;

        public WebhookReceiver Receiver { get; private set; } = null!;

        HostProcess Host => _host!;

        HttpClient Http => _http!;

        public async ValueTask InitializeAsync()
        {
            Receiver = await WebhookReceiver.StartAsync();
            var settings = await HubSettings.ProductionAsync(broker.Node, postgres.Cluster);
            _virtualHost = settings.VirtualHost();
            var environment = settings.AsEnvironment();
            environment["EventHub__Listeners__AllowPrivateTargets"] = "true";
            _host = await HostProcess.StartAsync(environment);
            await _host.WaitForOutputAsync("Bus started: rabbitmq://");
            _http = HubSettings.ClientFor(_host);
            _http.Timeout = TimeSpan.FromMinutes(2);
            var listener = await RegisterAsync($$$"""{"name":"fuzz-all","events":["#"],"delivery":{"type":"webhook","url":"{{{Receiver.Url}}}"}}""");
            await _host.WaitForOutputAsync($"Delivering to listener {listener}");
        }

        public async Task<string> RegisterAsync(string body)
        {
            using var response = await Http.PostAsync("/v1/listeners", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
            var text = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }

        public Task<HttpStatusCode> PostAsync(string path, byte[] body, string contentType, bool gzip = false, (string Name, string Value)? auth = null, string? idempotencyKey = null) =>
            SendAsync(HttpMethod.Post, path, body, contentType, gzip, auth, idempotencyKey);

        public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, bool gzip = false, (string Name, string Value)? auth = null, string? idempotencyKey = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                var content = new ByteArrayContent(gzip ? Gzip(body) : body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
                if (gzip)
                    content.Headers.ContentEncoding.Add("gzip");
                request.Content = content;
            }

            if (auth is { } header)
                request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            if (idempotencyKey is not null)
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            using var response = await Http.SendAsync(request, Cancel);
            return response.StatusCode;
        }

        public async Task AssertStoredAsync(IReadOnlyCollection<string> ids)
        {
            var missing = ids.ToList();
            try
            {
                await Eventually.UntilAsync(
                    async () =>
                    {
                        var still = new List<string>();
                        foreach (var id in missing)
                        {
                            using var response = await Http.GetAsync($"/v1/events/{Uri.EscapeDataString(id)}", Cancel);
                            if (response.StatusCode != HttpStatusCode.OK)
                                still.Add(id);
                        }

                        missing = still;
                        return missing.Count;
                    },
                    count => count == 0,
                    TimeSpan.FromMinutes(3),
                    what: "every accepted event in the event log");
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{missing.Count} of {ids.Count} accepted events never reached the event log: {string.Join(", ", missing.Take(10))}\n{Tail(Host.Output)}");
            }
        }

        public async Task AssertHealthyAsync()
        {
            Assert.False(Host.HasExited, Host.Output);
            Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/live", Cancel)).StatusCode);
            using var ready = await Http.GetAsync("/health/ready", Cancel);
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"ready answered {(int)ready.StatusCode}: {await ready.Content.ReadAsStringAsync(Cancel)}\n{Tail(Host.Output)}");
            var queues = await broker.Node.ListQueuesAsync(_virtualHost!);
            var errors = queues.Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal) && q.Value > 0).ToList();
            Assert.True(errors.Count == 0, $"messages in error queues: {string.Join(", ", errors.Select(e => $"{e.Key}={e.Value}"))}\n{Tail(Host.Output)}");
            Assert.DoesNotContain("responded 500", Host.Output, StringComparison.Ordinal);
        }

        /// <summary>The host's warnings and errors, which say why; the request lines around them only repeat the test's own steps.</summary>
        static string Tail(string text) => string.Join('\n', text.Split('\n').Where(line => line.Contains(" WRN]", StringComparison.Ordinal) || line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal) || line.StartsWith(' ')).TakeLast(60));

        static byte[] Gzip(byte[] body)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
                gzip.Write(body);
            return output.ToArray();
        }

        public async ValueTask DisposeAsync()
        {
            _http?.Dispose();
            if (_host is not null)
                await _host.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }
}
