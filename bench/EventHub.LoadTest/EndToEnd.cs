using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventHub.LoadTest;

/// <summary>
/// Open loop at a fixed offered rate: single-event emits, each timed from just before its POST to its arrival (a) at a
/// webhook listener on a local Kestrel receiver and (b) in an application queue bound to <c>eventhub.events</c> and
/// read with RabbitMQ.Client, the broker-side arrival every consumer of the topic exchange sees. (c) The arrival at a
/// MassTransit consumer inside the host, the event log's, comes from the host's own histogram
/// (<c>eventhub.events.store.lag</c>, from the hub's received-at, scraped before and after): timed inside the host, it
/// leaves out the client's side of the POST.
/// </summary>
internal static class EndToEnd
{
    public sealed record Result(int Rate, int Offered, int Accepted, int Refused, int SkippedByGenerator, int AtWebhook, int AtQueue, double Seconds, Latencies Post, Latencies Webhook, Latencies Queue, HostHistogram Consumer, HostHistogram HostPost, HostHistogram Listener, HostHistogram Attempt, double GcPauseSeconds, HostHistogram Held);

    const string ConsumerLag = "eventhub_events_store_lag_seconds";

    // The hub's own view of the whole way, from receiving the POST to the receiver's 2xx: where it differs from the load
    // test's POST → webhook, the difference was spent in the load test's process (its sender and receiver share the cores).
    const string DeliveryLag = "eventhub_listener_delivery_lag_seconds";

    // Of that, the receiver's part: from the hub sending the webhook to its answer (the receiver runs in the load test).
    const string AttemptDuration = "eventhub_listener_attempt_duration_milliseconds";

    // The host's own view of each request (ASP.NET Core's http.server.request.duration): a POST that is slow here was slow
    // in the hub; one slow only as the load test saw it waited in the load test's process or the kernel.
    const string RequestDuration = "http_server_request_duration_seconds";

    // Time the host's threads stood still for the GC while the events were sent (the runtime's System.Runtime meter).
    const string GcPause = "dotnet_gc_pause_time_seconds_total";

    public static async Task<Result> RunAsync(HubTarget hub, WebhookReceiver receiver, int rate, TimeSpan duration, TimeSpan drainLimit)
    {
        using var admin = hub.ApiClient();
        var registered = await admin.PostAsJsonAsync("/v1/listeners", new
        {
            name = "bench-e2e",
            events = new[] { "bench.e2e.#" },
            delivery = new { type = "webhook", url = receiver.Url, timeoutSeconds = 10 },
        });
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync())!;
        if (!registered.IsSuccessStatusCode)
            throw new InvalidOperationException($"Could not register the benchmark listener: {listener}");
        receiver.Secret = listener["secret"]!.GetValue<string>();
        var listenerId = listener["id"]!.GetValue<string>();
        await hub.WaitForListenerAsync(listenerId);
        var listenerLabel = $"listener=\"{listenerId}\"";
        // One scrape before the phase; after it, one per moment a figure is complete (sending ended, deliveries drained,
        // the event log caught up).
        var before = await admin.GetStringAsync("/metrics");
        var listenerBefore = HostHistogram.Parse(before, DeliveryLag, listenerLabel);
        var attemptBefore = HostHistogram.Parse(before, AttemptDuration, listenerLabel, milliseconds: true);
        var consumerBefore = HostHistogram.Parse(before, ConsumerLag);
        var requestsBefore = HostHistogram.Parse(before, RequestDuration);
        var pausedBefore = HostCounter.Parse(before, GcPause);
        var heldBefore = HostHistogram.Parse(before, IngestPhase.Paced);
        var rowsBefore = await hub.EventLogRowsAsync();

        var queueArrivals = new ConcurrentDictionary<string, DateTimeOffset>();
        var factory = new ConnectionFactory { Uri = hub.Amqp };
        await using var connection = await factory.CreateConnectionAsync("eventhub-bench-e2e");
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync($"bench-e2e-{Guid.NewGuid():N}"[..24], durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "eventhub.events", "bench.e2e.#");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = DateTimeOffset.UtcNow;
            var id = JsonNode.Parse(delivery.Body.Span)?["message"]?["eventId"]?.GetValue<string>();
            if (id is not null)
                queueArrivals.TryAdd(id, at);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var sentAt = new ConcurrentDictionary<string, DateTimeOffset>();
        var post = new Latencies();
        var accepted = 0;
        var refused = 0;
        var skipped = 0;
        var offered = 0;
        const int MaxInFlight = 1000;
        var inFlight = 0;
        var payload = new string('x', 200);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-EventHub-Key", hub.ApiKey);
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5)))
        {
            while (clock.Elapsed < duration && await tick.WaitForNextTickAsync())
            {
                var due = (int)(clock.Elapsed.TotalSeconds * rate) - offered;
                for (var i = 0; i < due; i++)
                {
                    var n = ++offered;
                    if (Volatile.Read(ref inFlight) >= MaxInFlight)
                    {
                        skipped++;
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    pending.Add(EmitOneAsync(n));
                }

                if (pending.Count > 4 * MaxInFlight)
                    pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var afterSending = await admin.GetStringAsync("/metrics");
        var requestsInHost = HostHistogram.Parse(afterSending, RequestDuration).Since(requestsBefore);
        var paused = HostCounter.Parse(afterSending, GcPause) - pausedBefore;
        var held = HostHistogram.Parse(afterSending, IngestPhase.Paced).Since(heldBefore);

        using (var drain = new CancellationTokenSource(drainLimit))
        using (var check = new PeriodicTimer(TimeSpan.FromMilliseconds(200)))
        {
            // The receiver is shared by the phases: only this phase's events count, or the first phase's would end the wait.
            while ((Delivered(receiver).Keys.Count(sentAt.ContainsKey) < sentAt.Count || queueArrivals.Count < sentAt.Count) && !drain.IsCancellationRequested)
            {
                try
                {
                    await check.WaitForNextTickAsync(drain.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        var webhook = new Latencies();
        var delivered = Delivered(receiver);
        foreach (var (id, at) in delivered)
        {
            if (sentAt.TryGetValue(id, out var sent))
                webhook.Add((at - sent).TotalMilliseconds);
        }

        var atQueue = new Latencies();
        foreach (var (id, at) in queueArrivals)
        {
            if (sentAt.TryGetValue(id, out var sent))
                atQueue.Add((at - sent).TotalMilliseconds);
        }

        var drained = await admin.GetStringAsync("/metrics");
        var inListener = HostHistogram.Parse(drained, DeliveryLag, listenerLabel).Since(listenerBefore);
        var attempts = HostHistogram.Parse(drained, AttemptDuration, listenerLabel, milliseconds: true).Since(attemptBefore);
        await admin.DeleteAsync($"/v1/listeners/{listenerId}");
        // The event log may still be taking the last events in: its histogram is read once the hub caught up.
        await CatchUp.WaitAsync(hub, rowsBefore + accepted, drainLimit);
        var inHost = HostHistogram.Parse(await admin.GetStringAsync("/metrics"), ConsumerLag).Since(consumerBefore);
        return new Result(rate, offered, accepted, refused, skipped, webhook.Count, atQueue.Count, sendSeconds, post, webhook, atQueue, inHost, requestsInHost, inListener, attempts, paused, held);

        async Task EmitOneAsync(int n)
        {
            try
            {
                var started = DateTimeOffset.UtcNow;
                var timer = Stopwatch.GetTimestamp();
                using var content = new StringContent($$$"""{"name":"bench.e2e.tick","payload":{"n":{{{n}}},"filler":"{{{payload}}}"}}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/v1/events", content);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }

                post.Add(Stopwatch.GetElapsedTime(timer).TotalMilliseconds);
                var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ids"]![0]!.GetValue<string>();
                sentAt[id] = started;
                Interlocked.Increment(ref accepted);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref refused);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref refused);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    /// <summary>First 2xx-answered arrival of each event at the receiver.</summary>
    static Dictionary<string, DateTimeOffset> Delivered(WebhookReceiver receiver)
    {
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var delivery in receiver.Received)
            first.TryAdd(delivery.WebhookId, delivery.At);
        return first;
    }
}
