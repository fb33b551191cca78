using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace EventHub.Integration.Tests;

/// <summary>What an operator sees: the Prometheus scrape after real traffic, and one trace per Auth0 entry on RabbitMQ.</summary>
public sealed class TelemetryTests(TelemetryTests.PrivateBroker broker) : IClassFixture<TelemetryTests.PrivateBroker>
{
    /// <summary>
    /// A node of this class's own: its hosts consume from the module queues (store-events, ...) like any copy would, and on
    /// the shared node they would take other tests' events into their own event logs.
    /// </summary>
    public sealed class PrivateBroker : IAsyncLifetime
    {
        RabbitMqNode? _node;

        public RabbitMqNode Node => _node ?? throw new InvalidOperationException("The RabbitMQ node did not start.");

        public async ValueTask InitializeAsync() => _node = await RabbitMqNode.StartAsync("eventhub-telemetry");

        public async ValueTask DisposeAsync()
        {
            if (_node is not null)
                await _node.DisposeAsync();
        }
    }

    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_endpoint_should_expose_http_masstransit_and_eventhub_series_after_traffic()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync();
        failing.DefaultStatus = 500;
        // A process of its own: a meter provider sees every meter of its process, and other tests' hosts share this one.
        await using var host = await HostProcess.StartAsync((await SettingsAsync(broker.Node)).AsEnvironment());
        // On RabbitMQ the host serves HTTP before the bus is up (ingress answers 503 until then).
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);

        var delivered = await RegisterAsync(http, "auth0-all", "auth0.#", receiver.Url, receiver);
        var dead = await RegisterAsync(http, "payments", "payment.*", failing.Url, failing, new { maxAttempts = 1 });
        Assert.Equal(HttpStatusCode.OK, (await PostAuth0Async(http, Auth0Entries.JsonArray([Auth0Entries.Record("f"), Auth0Entries.Record("s"), Auth0Entries.Record("zz_new")]))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAuth0Async(http, "[]", token: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/v1/events", new { name = "payment.failed", payload = new { n = 1 } }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/v1/events", new { name = "Bad Name", payload = new { } }, Cancel)).StatusCode);

        // Every expectation is waited for: counters are recorded after the work they count, a scrape may fall between.
        var expectations = new (string Name, (string, string)[] Labels, double AtLeast)[]
        {
            ("eventhub_auth0_entries_total", [("outcome", "typed")], 2),
            ("eventhub_auth0_entries_total", [("outcome", "unknown_code")], 1),
            ("eventhub_auth0_batches_rejected_total", [("reason", "unauthorized")], 1),
            ("eventhub_events_emitted_total", [("prefix", "payment")], 1),
            ("eventhub_events_emit_rejected_total", [("reason", "invalid")], 1),
            ("eventhub_events_stored_total", [("prefix", "auth0.auth")], 1),
            ("eventhub_events_stored_total", [("prefix", "auth0.other")], 1),
            ("eventhub_events_stored_total", [("prefix", "payment")], 1),
            ("eventhub_events_store_lag_seconds_count", [], 3),
            ("eventhub_listener_deliveries_total", [("listener", delivered), ("outcome", "succeeded")], 3),
            ("eventhub_listener_delivery_lag_seconds_count", [("listener", delivered)], 3),
            ("eventhub_listener_attempts_total", [("listener", dead), ("outcome", "dead")], 1),
            ("eventhub_listener_dead_letters_total", [("listener", dead)], 1),
            ("http_server_request_duration_seconds_count", [("http_route", "/webhooks/auth0"), ("http_response_status_code", "200")], 1),
            // Outgoing webhook calls.
            ("http_client_request_duration_seconds_count", [], 4),
            // Each hub event written to the broker, then MassTransit's own meter: the batches count as sends; listener
            // deliveries run as handlers, the event log as a consumer.
            ("eventhub_events_published_total", [("outcome", "confirmed")], 4),
            ("messaging_masstransit_send_ea_total", [], 2),
            ("messaging_masstransit_consume_ea_total", [], 4),
            ("messaging_masstransit_handler_ea_total", [], 3),
            // The runtime's own meter: what explains a latency tail (GC pauses, the thread pool's queue).
            ("dotnet_assembly_count", [], 50),
            ("dotnet_jit_compiled_methods_total", [], 1),
        };
        var scrape = await Eventually.UntilAsync(
            async () => Prometheus.Parse(await http.GetStringAsync("/metrics", Cancel)),
            s => expectations.All(e => s.Value(e.Name, e.Labels) >= e.AtLeast) && s.Has("eventhub_listener_queue_depth", ("listener", delivered)) && s.Has("dotnet_gc_pause_time_seconds_total")
                && s.Has("eventhub_listener_delivery_lag_seconds_bucket", ("listener", delivered), ("le", "0.025")),
            limit: Eventually.DefaultLimit,
            what: "every expected series in the scrape");

        foreach (var (name, labels, atLeast) in expectations)
            Assert.True(scrape.Value(name, labels) >= atLeast, $"{name} {string.Join(",", labels)}");
        // Fine enough for a latency objective in milliseconds, not only OpenTelemetry's default buckets of 5 s and up.
        Assert.True(scrape.Has("eventhub_listener_delivery_lag_seconds_bucket", ("listener", delivered), ("le", "0.025")));
    }

    [Fact]
    public async Task One_auth0_entry_should_be_one_trace_from_ingress_through_publish_and_consume_to_the_webhook_call()
    {
        var spans = new Spans();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = new HubFactory(
            await SettingsAsync(broker.Node),
            services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans)));
        using var http = Client(factory);
        await HubReadiness.WaitAsync(http);
        var listener = await RegisterAsync(http, "trace", "auth0.auth.#", receiver.Url, receiver);

        // The caller starts the trace (as Auth0's edge or a proxy may): every span of this entry must carry its id.
        var traceId = ActivityTraceId.CreateRandom();
        var logId = Auth0Entries.NewLogId();
        Assert.Equal(HttpStatusCode.OK, (await PostAuth0Async(http, Auth0Entries.JsonArray([Auth0Entries.Record("f", logId)]), traceparent: $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01")).StatusCode);

        var trace = await Eventually.UntilAsync(
            () => Task.FromResult(spans.Snapshot().Where(s => s.TraceId == traceId).ToList()),
            // A span is exported when it ends: the delivery's span ends after the call's, once the attempt is recorded, and
            // the listener queue's consume span after both, when the handler returns. The hub's own consumers read the
            // entry's batch on queues of their own, whose consume spans end when their batch does.
            t => t.Any(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http")
                && t.Any(d => d.Source.Name == "EventHub.Listeners" && t.Any(c => c.Source.Name == "MassTransit" && c.Kind == ActivityKind.Consumer && c.SpanId == d.ParentSpanId))
                && t.Count(c => c.Source.Name == "MassTransit" && c.Kind == ActivityKind.Consumer) >= 2,
            what: "the webhook call's, the delivery's and a batch consumer's spans in the entry's trace");

        var ingress = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/webhooks/auth0");
        // The entry is written to the broker by the hub itself (docs/adr/0034), its batch by MassTransit.
        var publish = Assert.Single(trace, s => s.Source.Name == "EventHub.Publishing" && s.Kind == ActivityKind.Producer);
        var batchPublish = Assert.Single(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && s.DisplayName.StartsWith(HubEventNames.Batches, StringComparison.Ordinal));
        var deliver = Assert.Single(trace, s => s.Source.Name == "EventHub.Listeners");
        var call = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");
        var consume = Assert.Single(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && s.SpanId == deliver.ParentSpanId);

        Assert.True(IsAncestor(trace, ingress, publish), "the publish happens inside the ingress request");
        Assert.True(IsAncestor(trace, ingress, batchPublish), "so does the publish of its batch, for the hub's own consumers");
        Assert.True(IsAncestor(trace, publish, consume), "the listener queue's consume continues the publish");
        Assert.Equal(deliver.SpanId, call.ParentSpanId);
        Assert.Equal(listener, deliver.GetTagItem("eventhub.listener.id"));
        Assert.Equal(logId, deliver.GetTagItem("eventhub.event.id"));
        Assert.Equal("succeeded", deliver.GetTagItem("eventhub.delivery.outcome"));
        Assert.Equal(new Uri(receiver.Url).GetLeftPart(UriPartial.Authority) + "/", call.GetTagItem("url.full"));
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && s.SpanId != consume.SpanId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_logs_should_carry_the_trace_id_and_the_client_address_only_when_personal_data_is_allowed(bool includePii)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Logging__Json"] = "true";
        settings["EventHub__Logging__IncludePii"] = includePii ? "true" : "false";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);

        // Found by its path, not by a traceparent of ours: this process's own HttpClient tracing may replace that header.
        var path = $"/v1/events/log-check-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path, Cancel)).StatusCode);
        await host.WaitForOutputAsync($"\"RequestPath\":\"{path}\"").WaitAsync(Eventually.DefaultLimit, Cancel);

        var line = Assert.Single(host.Output.Split('\n'), l => l.Contains(path, StringComparison.Ordinal) && l.Contains("responded 404", StringComparison.Ordinal));
        var logged = JsonNode.Parse(line)!.AsObject();
        Assert.Matches("^[0-9a-f]{32}$", logged["@tr"]!.GetValue<string>());
        Assert.Equal(includePii, logged.ContainsKey("ClientIp"));
        Assert.Equal(includePii, line.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_request_logs_should_show_control_characters_of_a_path_replaced_so_no_line_can_be_forged()
    {
        await using var host = await HostProcess.StartAsync(HubSettings.Embedded().AsEnvironment());
        using var http = HubSettings.ClientFor(host);
        var marker = $"forged-{Guid.NewGuid():N}";

        // Refused (a path with control characters names nothing of the hub's), and still logged, cleaned.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/v1/events/x%0A[00:00:00 ERR] {marker}%0D%1B[31m", Cancel)).StatusCode);
        await host.WaitForOutputAsync(marker).WaitAsync(Eventually.DefaultLimit, Cancel);

        var line = Assert.Single(host.Output.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal));
        Assert.Contains($"/v1/events/x\uFFFD[00:00:00 ERR] {marker}\uFFFD\uFFFD[31m responded 400", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_push_traces_and_metrics_over_otlp_when_an_endpoint_is_set()
    {
        var received = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<byte[]>>();
        var port = FreePort.Next();
        // A stand-in collector: OTLP over HTTP posts each signal to /v1/<signal>, keeping every body it got.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            received.GetOrAdd(signal, _ => new()).Enqueue(body.ToArray());
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await collector.StartAsync(Cancel);

        var settings = HubSettings.Embedded().AsEnvironment();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}";
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/v1/events", new { name = "otlp.checked", payload = new { } }, Cancel)).StatusCode);

        // Protobuf keeps strings as their UTF-8 bytes: span, metric and service names can be found in the bodies as sent.
        string Missing(string signal, params string[] texts) => string.Join(", ", texts.Where(text =>
            !received.GetValueOrDefault(signal, []).Any(body => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0)));
        await Eventually.UntilAsync(() => Task.FromResult(Missing("traces", "eventhub", "POST /v1/events")), missing => missing.Length == 0, what: "the emit request's span over OTLP");
        await Eventually.UntilAsync(() => Task.FromResult(Missing("metrics", "eventhub", "eventhub.events.emitted", "otlp", "http.server.request.duration")), missing => missing.Length == 0, what: "the emitted-events counter over OTLP");
        await collector.StopAsync(Cancel);
    }

    static bool IsAncestor(List<Activity> trace, Activity ancestor, Activity span)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
                return true;
        }

        return false;
    }

    /// <summary>The exporter adds from whatever thread ends a span, while the test reads: both under one lock.</summary>
    sealed class Spans : System.Collections.ObjectModel.Collection<Activity>
    {
        readonly Lock _lock = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock)
                base.InsertItem(index, item);
        }

        public List<Activity> Snapshot()
        {
            lock (_lock)
                return [.. Items];
        }
    }

    static async Task<Dictionary<string, string>> SettingsAsync(RabbitMqNode node)
    {
        var settings = await HubSettings.OnRabbitMqAsync(node);
        settings["EventHub:Listeners:AllowPrivateTargets"] = "true";
        settings["EventHub:Listeners:SyncInterval"] = "00:00:00.500";
        return settings;
    }

    static HttpClient Client(HubFactory factory)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-EventHub-Key", HubSettings.ApiKey);
        return http;
    }

    static async Task<string> RegisterAsync(HttpClient http, string name, string pattern, string url, WebhookReceiver receiver, object? retry = null)
    {
        var response = await http.PostAsJsonAsync("/v1/listeners", new { name = $"{name}-{Guid.NewGuid():N}"[..20], events = new[] { pattern }, delivery = new { type = "webhook", url }, retry }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var listener = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        receiver.Secret = listener["secret"]!.GetValue<string>();
        return listener["id"]!.GetValue<string>();
    }

    static async Task<HttpResponseMessage> PostAuth0Async(HttpClient http, string body, string token = HubSettings.Auth0Token, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        if (traceparent is not null)
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        return await http.SendAsync(request, Cancel);
    }

    /// <summary>The Prometheus text format, parsed enough to ask for a series by name and labels.</summary>
    internal sealed record Prometheus(IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples)
    {
        public override string ToString() => string.Join("\n", Samples.Where(s => s.Name.StartsWith("eventhub_", StringComparison.Ordinal) || s.Name.EndsWith("_total", StringComparison.Ordinal) || s.Name.EndsWith("_count", StringComparison.Ordinal))
            .Select(s => $"{s.Name}{{{string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}"));

        public IEnumerable<string> Names => Samples.Select(s => s.Name).Distinct();

        public static Prometheus Parse(string text)
        {
            var samples = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith('#'))
                    continue;
                var labelsStart = line.IndexOf('{', StringComparison.Ordinal);
                var labelsEnd = line.LastIndexOf('}');
                var name = labelsStart < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..labelsStart];
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (labelsStart >= 0)
                {
                    foreach (var pair in SplitLabels(line[(labelsStart + 1)..labelsEnd]))
                    {
                        var equals = pair.IndexOf('=', StringComparison.Ordinal);
                        labels[pair[..equals]] = pair[(equals + 2)..^1];
                    }
                }

                var value = line[((labelsEnd < 0 ? name.Length : labelsEnd + 1))..].Trim().Split(' ')[0];
                samples.Add((name, labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)));
            }

            return new Prometheus(samples);
        }

        static IEnumerable<string> SplitLabels(string labels)
        {
            var start = 0;
            var quoted = false;
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] == '"' && (i == 0 || labels[i - 1] != '\\'))
                    quoted = !quoted;
                else if (labels[i] == ',' && !quoted)
                {
                    yield return labels[start..i];
                    start = i + 1;
                }
            }

            if (start < labels.Length)
                yield return labels[start..];
        }

        public bool Has(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Any();

        /// <summary>The sum over the series of that name with those labels (others may differ); 0 when there is none.</summary>
        public double Value(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

        IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Key, string Value)[] labels) =>
            Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
    }
}
