using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.Serialization;
using RabbitMQ.Client;

namespace EventHub.Benchmarks;

/// <summary>
/// What the per-entry publish on <c>eventhub.events</c> costs the host's CPU, in one process against one private
/// RabbitMQ node: MassTransit's publish (what <c>ConfirmedPublisher</c> does for each event), RabbitMQ.Client publishing
/// the same envelope (MassTransit's JSON envelope, serialized with its options) to the same exchange, and the client's
/// share alone (the envelopes serialized before the clock starts). All confirmed, 100 side by side as one Auth0 request's entries, with no queue bound (an event nobody listens to, the
/// common case). Then a MassTransit consumer of <see cref="IAuth0LogEvent"/> must read what the second way published.
/// Run: <c>dotnet run -c Release --project bench/EventHub.Benchmarks -- publish-paths</c>.
/// </summary>
internal static class PublishPaths
{
    const int PerRequest = 100;
    const int Requests = 200;
    const int Rounds = 5;

    public static async Task<int> RunAsync()
    {
        var messages = Messages();
        await using var node = await RabbitMqNode.StartAsync("eventhub-pubpaths");
        var bus = BenchBus.On(node, Topology);
        await bus.StartAsync();
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(node.AmqpUri) };
            await using var connection = await factory.CreateConnectionAsync("eventhub-pubpaths-raw");
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var raw = new RawPublisher(channel, bus);

            // Warm-up: both paths jitted, MassTransit's exchanges for every type declared (the raw path needs them).
            await PublishAllAsync(messages, 10, m => MassTransitPublishAsync(bus, m));
            await PublishAllAsync(messages, 10, raw.PublishAsync);
            raw.SerializeBeforehand(messages);
            await PublishAllAsync(messages, 10, raw.PublishSerializedAsync);

            Console.WriteLine($"{messages.Count} distinct entries ({messages.Select(m => m.GetType()).Distinct().Count()} types), {Requests} requests of {PerRequest} per round");
            Console.WriteLine("round | path | CPU µs per message | allocated bytes per message | messages/s");
            for (var round = 1; round <= Rounds; round++)
            {
                await MeasureAsync(round, "MassTransit publish", messages, m => MassTransitPublishAsync(bus, m));
                await MeasureAsync(round, "RabbitMQ.Client, same envelope", messages, raw.PublishAsync);
                await MeasureAsync(round, "RabbitMQ.Client, envelope serialized beforehand", messages, raw.PublishSerializedAsync);
            }

            return await ConsumableAsync(node, messages, raw) ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>What the hub's publish filter and <c>ConfirmedPublisher</c> set: MessageId from the event id, the name as routing key, the batch mark.</summary>
    static Task MassTransitPublishAsync(IBus bus, object message)
    {
        var hubEvent = (IHubEvent)message;
        return bus.Publish(message, context =>
        {
            context.MessageId = RawPublisher.MessageIdFor(hubEvent.EventId);
            context.Headers.Set(HubEventNames.InBatchHeader, true);
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                rabbit.RoutingKey = hubEvent.Name;
        });
    }

    static void Topology(IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Message<IHubEvent>(message => message.SetEntityName(HubEventNames.Exchange));
        cfg.Publish<IHubEvent>(publish => publish.ExchangeType = ExchangeType.Topic);
        cfg.Publish<Auth0LogEntry>(publish => publish.Exclude = true);
    }

    static async Task MeasureAsync(int round, string path, List<object> messages, Func<object, Task> publish)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await PublishAllAsync(messages, Requests, publish);
        clock.Stop();
        process.Refresh();
        var count = Requests * PerRequest;
        var cpuPerMessage = (process.TotalProcessorTime - cpu).TotalMicroseconds / count;
        var bytesPerMessage = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
        Console.WriteLine($"{round} | {path} | {cpuPerMessage:F1} | {bytesPerMessage:F0} | {count / clock.Elapsed.TotalSeconds:F0}");
    }

    static async Task PublishAllAsync(List<object> messages, int requests, Func<object, Task> publish)
    {
        var next = 0;
        for (var request = 0; request < requests; request++)
        {
            var side = new Task[PerRequest];
            for (var i = 0; i < PerRequest; i++)
                side[i] = publish(messages[next++ % messages.Count]);
            await Task.WhenAll(side);
        }
    }

    /// <summary>A MassTransit consumer of the interface reads what RabbitMQ.Client published, with its type and MessageId.</summary>
    static async Task<bool> ConsumableAsync(RabbitMqNode node, List<object> messages, RawPublisher raw)
    {
        var received = new TaskCompletionSource<ConsumeContext<IAuth0LogEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = BenchBus.On(node, cfg =>
        {
            Topology(cfg);
            cfg.ReceiveEndpoint("pubpaths-typed-reader", endpoint => endpoint.Handler<IAuth0LogEvent>(context =>
            {
                received.TrySetResult(context);
                return Task.CompletedTask;
            }));
        });
        await reader.StartAsync();
        try
        {
            var sent = messages.First(m => m is IAuth0LogEvent);
            await raw.PublishAsync(sent);
            var got = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var ok = got.Message.EventId == ((IHubEvent)sent).EventId && got.MessageId == RawPublisher.MessageIdFor(((IHubEvent)sent).EventId)
                && got.Headers.Get<bool>(HubEventNames.InBatchHeader) == true;
            Console.WriteLine($"a typed MassTransit consumer read the raw publish: {(ok ? "yes" : "NO")} ({got.Message.Name}, {got.SupportedMessageTypes.Count()} message types)");
            return ok;
        }
        finally
        {
            await reader.StopAsync();
        }
    }

    static List<object> Messages() =>
        [.. BenchEntries.Mapped(BenchEntries.Body(1000, "pubpaths", "f", "s", "sapi", "seacft", "slo"), DateTimeOffset.UtcNow)];

    /// <summary>The envelope MassTransit would write, sent with RabbitMQ.Client to the exchange MassTransit publishes the type to.</summary>
    sealed class RawPublisher(IChannel channel, IBus bus)
    {
        readonly Dictionary<Type, (string Exchange, string Destination, string[] MessageTypes)> _types = [];
        readonly Lock _lock = new();
        readonly string _source = bus.Address.ToString();

        readonly Dictionary<object, (string Exchange, string Name, BasicProperties Properties, byte[] Body)> _serialized = new(ReferenceEqualityComparer.Instance);

        public Task PublishAsync(object message)
        {
            var (exchange, name, properties, body) = Serialize(message);
            return channel.BasicPublishAsync(exchange, name, mandatory: false, properties, body).AsTask();
        }

        /// <summary>The client's share alone: what <see cref="PublishAsync"/> costs without serializing.</summary>
        public Task PublishSerializedAsync(object message)
        {
            var (exchange, name, properties, body) = _serialized[message];
            return channel.BasicPublishAsync(exchange, name, mandatory: false, properties, body).AsTask();
        }

        public void SerializeBeforehand(IEnumerable<object> messages)
        {
            foreach (var message in messages)
                _serialized[message] = Serialize(message);
        }

        (string Exchange, string Name, BasicProperties Properties, byte[] Body) Serialize(object message)
        {
            var type = message.GetType();
            (string Exchange, string Destination, string[] MessageTypes) target;
            lock (_lock)
            {
                if (!_types.TryGetValue(type, out target))
                {
                    if (!bus.Topology.TryGetPublishAddress(type, out var address))
                        throw new InvalidOperationException($"no publish address for {type}");
                    target = (address.AbsolutePath.Split('/')[^1], address.ToString(), MessageTypeCache.GetMessageTypeNames(type));
                    _types[type] = target;
                }
            }

            var hubEvent = (IHubEvent)message;
            var messageId = MessageIdFor(hubEvent.EventId);
            var envelope = new JsonMessageEnvelope
            {
                MessageId = messageId.ToString(),
                ConversationId = NewId.NextGuid().ToString(),
                SourceAddress = _source,
                DestinationAddress = target.Destination,
                MessageType = target.MessageTypes,
                Message = message,
                SentTime = DateTime.UtcNow,
                Headers = new Dictionary<string, object?> { [HubEventNames.InBatchHeader] = true },
                Host = HostMetadataCache.Host,
            };
            var body = JsonSerializer.SerializeToUtf8Bytes(envelope, SystemTextJsonMessageSerializer.Options);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json", MessageId = envelope.MessageId };
            return (target.Exchange, hubEvent.Name, properties, body);
        }

        /// <summary>The hash behind the hub's MessageId (the hub also sets the version bits): the same work per message.</summary>
        public static Guid MessageIdFor(string eventId) => new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("eventhub:event-id:" + eventId)).AsSpan(0, 16));
    }
}
