using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using RabbitMQ.Client;

namespace EventHub.Integration.Tests;

/// <summary>
/// What an operator changes on a broker the hub already uses: the queue type (classic to quorum, with migrate-queues)
/// and the delivery limit (taken on the next start). Messages wait in the event log's queue, a listener's queue and an
/// error queue while the hub is stopped; every one is still there, or delivered, afterwards.
/// </summary>
public sealed class QueueChangesOnRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Should_stop_on_the_other_queue_type_migrate_to_quorum_keeping_every_waiting_message_and_take_a_new_delivery_limit_on_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.OnRabbitMqAsync(broker.Node)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__SyncInterval"] = "00:00:00.500";
        var vhost = settings.VirtualHost();
        var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUriOf(vhost)) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), Cancel);

        // A classic hub with a listener; one emitted event and its batch (which the event log reads, docs/adr/0031) are
        // copied off their exchanges to make waiting messages from.
        string queue;
        BasicGetResult template;
        BasicGetResult batchTemplate;
        await using (var classic = await HostProcess.StartAsync(settings))
        {
            // The exchanges bound to below exist once the bus has started, not when a listener's endpoint has.
            await classic.WaitForOutputAsync("Bus started");
            using var http = HubSettings.ClientFor(classic);
            var registered = await http.PostAsJsonAsync("/v1/listeners", new { name = "orders", events = new[] { "order.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
            var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
            queue = listener["queue"]!.GetValue<string>();
            receiver.Secret = listener["secret"]!.GetValue<string>();
            await classic.WaitForOutputAsync($"Delivering to listener {listener["id"]}");
            await channel.QueueDeclareAsync("copy", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
            await channel.QueueBindAsync("copy", "eventhub.events", "order.*", cancellationToken: Cancel);
            await channel.QueueDeclareAsync("copy-batches", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
            await channel.QueueBindAsync("copy-batches", "eventhub.batches", "#", cancellationToken: Cancel);
            await Emit(http, "template-0001");
            template = (await Eventually.UntilAsync(() => channel.BasicGetAsync("copy", autoAck: true, Cancel), r => r is not null, what: "the emitted event on the exchange"))!;
            batchTemplate = (await Eventually.UntilAsync(() => channel.BasicGetAsync("copy-batches", autoAck: true, Cancel), r => r is not null, what: "its batch on eventhub.batches"))!;
            await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n == 1, what: "the template event delivered");
            Assert.Equal(0, await classic.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // While the hub is down: three events for the event log and the listener, one message in an error queue, and a
        // listener queue caught half-way through an interrupted move (one message already in its holding queue).
        string[] waiting = ["waiting-0001", "waiting-0002", "waiting-0003"];
        foreach (var id in waiting)
            await PublishEventAsync(channel, template, batchTemplate, id);
        await channel.QueueDeclareAsync("store-events_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await PublishCopyAsync(channel, "", template, "failed-0001", routingKey: "store-events_error");
        await Eventually.UntilAsync(() => broker.Node.ListQueuesAsync(vhost), q => q.GetValueOrDefault(queue) == 3 && q.GetValueOrDefault("store-events") == 3, what: "the waiting messages");
        // The binding a release before ADR 0031 gave the event log, which migrate-queues removes.
        await channel.ExchangeBindAsync("store-events", "eventhub.events", "#", cancellationToken: Cancel);
        var bindings = await BindingsAsync(vhost);
        Assert.Contains("eventhub.events\tstore-events\t#", bindings);
        // The event log reads every batch; the detections only those with Auth0 entries, not an emit's.
        Assert.Contains("eventhub.batches\tstore-events\t#", bindings);
        Assert.Contains("eventhub.batches\tevaluate-rules\tauth0", bindings);
        Assert.DoesNotContain("eventhub.batches\tevaluate-rules\t#", bindings);
        Assert.DoesNotContain("eventhub.batches\tevaluate-rules\tothers", bindings);
        await channel.QueueDeclareAsync(queue + ".rebuilding", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await channel.QueueBindAsync(queue + ".rebuilding", queue, "", cancellationToken: Cancel);
        var first = (await channel.BasicGetAsync(queue, autoAck: false, Cancel))!;
        await channel.BasicPublishAsync("", queue + ".rebuilding", true, new BasicProperties(first.BasicProperties), first.Body, Cancel);
        await channel.BasicAckAsync(first.DeliveryTag, false, Cancel);

        settings["EventHub__RabbitMq__QuorumQueues"] = "true";
        var clock = Stopwatch.StartNew();
        var (refused, refusal) = await HostProcess.RunToExitAsync(settings, CommandLimit);
        Console.WriteLine($"Host refused the classic queues in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(2, refused);
        var line = Assert.Single(refusal.Split('\n'), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains("EventHub__RabbitMq__QuorumQueues", line);
        Assert.Contains("is classic", line);
        Assert.Contains("migrate-queues", line);
        Assert.DoesNotContain("PRECONDITION_FAILED", refusal);

        var (misused, usage) = await HostProcess.RunCommandAsync(settings, ["migrate-queues", "--force"], CommandLimit);
        Assert.Equal(2, misused);
        Assert.Contains("Usage: EventHub.Host migrate-queues [--dry-run]", usage);

        var (planned, plan) = await HostProcess.RunCommandAsync(settings, ["migrate-queues", "--dry-run"], CommandLimit);
        Assert.True(planned == 0, plan);
        Assert.Contains("store-events: classic, 3 messages waiting: classic -> quorum", plan);
        Assert.Contains("store-events_error: classic, 1 messages waiting: classic -> quorum", plan);
        Assert.Contains($"{queue}: classic, 2 messages waiting: classic -> quorum (finishing an interrupted move)", plan);
        Assert.Equal("classic", (await QueuesAsync(vhost))["store-events"].Type);

        clock.Restart();
        var (migrated, migration) = await HostProcess.RunCommandAsync(settings, ["migrate-queues"], CommandLimit);
        Console.WriteLine($"migrate-queues took {clock.Elapsed.TotalSeconds:0.0} s:\n{migration}");
        Assert.True(migrated == 0, migration);
        Assert.Contains("store-events: now quorum; 3 messages kept", migration);
        Assert.Contains($"{queue}: now quorum; 3 messages kept", migration);
        Assert.Contains("store-events_error: now quorum; 1 messages kept", migration);
        Assert.Contains("eventhub.events -> store-events ('#'): unbound", migration);
        Assert.Contains("EventHub.Contracts.Auth0:IAuth0LogEvent -> evaluate-rules (''): ", migration);
        Assert.DoesNotContain("eventhub.events\tstore-events\t#", await BindingsAsync(vhost));
        // A quorum queue's counts reach rabbitmqctl a few seconds late.
        var queues = await Eventually.UntilAsync(() => QueuesAsync(vhost), q => q["store-events"].Ready == 3 && q[queue].Ready == 3 && q["store-events_error"].Ready == 1, what: "the moved messages counted");
        foreach (var name in new[] { "store-events", "store-events_error", queue })
            Assert.Equal("quorum", queues[name].Type);
        Assert.DoesNotContain(queues.Keys, name => name.EndsWith(".rebuilding", StringComparison.Ordinal));

        await using (var quorum = await HostProcess.StartAsync(settings))
        {
            using var http = HubSettings.ClientFor(quorum);
            await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n == 4, what: "the waiting events delivered to the listener");
            foreach (var id in waiting)
                await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{id}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: $"event {id} in the event log");
            Assert.Equal(1, (await QueuesAsync(vhost))["store-events_error"].Ready);

            // A copy still consumes: the migration back refuses and changes nothing.
            var (busy, busyOutput) = await HostProcess.RunCommandAsync(new Dictionary<string, string>(settings) { ["EventHub__RabbitMq__QuorumQueues"] = "false" }, ["migrate-queues"], CommandLimit);
            Assert.Equal(1, busy);
            Assert.Contains("Nothing was changed", busyOutput);
            Assert.Equal(0, await quorum.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // A channel that routed to a queue before it was rebuilt must not publish to it again (see QueueRebuilder.MoveAsync).
        await using (var fresh = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), Cancel))
            await PublishEventAsync(fresh, template, batchTemplate, "waiting-0004");
        settings["EventHub__RabbitMq__DeliveryLimit"] = "4";
        await using (var limited = await HostProcess.StartAsync(settings))
        {
            using var http = HubSettings.ClientFor(limited);
            await Eventually.UntilAsync(() => http.GetAsync("/v1/events/waiting-0004", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the event that waited across the change");
            await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n == 5, what: "its delivery to the listener");
            Assert.Contains("Queue store-events rebuilt", limited.Output);
            Assert.Contains("x-delivery-limit\",4", (await QueuesAsync(vhost))["store-events"].Arguments.Replace(" ", "", StringComparison.Ordinal));
            Assert.Equal(0, await limited.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // The queues the hub rebuilt are the ones its endpoints declare: the next start with the same settings changes nothing.
        await using (var again = await HostProcess.StartAsync(settings))
        {
            using var http = HubSettings.ClientFor(again);
            await Eventually.UntilAsync(() => http.GetAsync("/health/ready", Cancel), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "the host ready");
            Assert.DoesNotContain("rebuilt", again.Output);
        }

        Assert.Equal(5, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
    }

    static async Task Emit(HttpClient http, string id)
    {
        var response = await Eventually.UntilAsync(
            () => http.PostAsJsonAsync("/v1/events", new { id, name = "order.placed", payload = new { } }, Cancel),
            r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
            Eventually.DefaultLimit,
            "an emit that is not answered 503");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The emitted event again under another id, as the hub publishes it: on its own, and in a batch.</summary>
    static async Task PublishEventAsync(IChannel channel, BasicGetResult template, BasicGetResult batchTemplate, string id)
    {
        await PublishCopyAsync(channel, "eventhub.events", template, id);
        await PublishCopyAsync(channel, "eventhub.batches", batchTemplate, id);
    }

    async Task<string> BindingsAsync(string vhost)
    {
        var (code, output) = await broker.Node.CtlAsync(["list_bindings", "-p", vhost, "source_name", "destination_name", "routing_key", "--quiet", "--no-table-headers"]);
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>The emitted event (or its batch) again under another id, as the hub would have published it.</summary>
    static async Task PublishCopyAsync(IChannel channel, string exchange, BasicGetResult template, string id, string? routingKey = null)
    {
        var envelope = JsonNode.Parse(Encoding.UTF8.GetString(template.Body.Span))!;
        envelope["messageId"] = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString().Replace("template-0001", id, StringComparison.Ordinal));
        var properties = new BasicProperties(template.BasicProperties) { MessageId = envelope["messageId"]!.GetValue<string>() };
        await channel.BasicPublishAsync(exchange, routingKey ?? template.RoutingKey, true, properties, body, Cancel);
    }

    async Task<Dictionary<string, (string Type, long Ready, string Arguments)>> QueuesAsync(string vhost)
    {
        var (code, output) = await broker.Node.CtlAsync(["list_queues", "-p", vhost, "name", "type", "messages_ready", "arguments", "--quiet", "--no-table-headers"]);
        Assert.True(code == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 4)
            .ToDictionary(parts => parts[0], parts => (parts[1], long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3]));
    }
}
