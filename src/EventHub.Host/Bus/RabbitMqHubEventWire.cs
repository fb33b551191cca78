using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.RabbitMqTransport.Topology;
using MassTransit.Serialization;
using MassTransit.Transports;
using RabbitMQ.Client;

namespace EventHub.Host.Bus;

/// <summary>
/// Writes each hub event to a channel of MassTransit's own connection, as MassTransit's publish would write it: the same
/// exchange and its declared topology, routing key, MessageId, headers and JSON envelope, so typed consumers and
/// pattern-bound queues see no difference. It skips MassTransit's send pipeline: its publish took about 40 µs of CPU per
/// message where writing the same envelope took about 22 (docs/adr/0034). The connection, its reconnects and cluster
/// failover stay MassTransit's.
/// </summary>
internal sealed class RabbitMqHubEventWire(IBusInstance bus) : IHubEventWire
{
    public static readonly ActivitySource Activities = new("EventHub.Publishing");
    static readonly Meter Meter = new("EventHub.Publishing");
    // MassTransit's send meter no longer sees these publishes; its batches it still counts.
    static readonly Counter<long> Published = Meter.CreateCounter<long>("eventhub.events.published", "{event}", "Hub events written to the broker, by whether it confirmed them.");
    static readonly KeyValuePair<string, object?> Confirmed = new("outcome", "confirmed");
    static readonly KeyValuePair<string, object?> NotConfirmed = new("outcome", "not_confirmed");
    const string ContentType = "application/vnd.masstransit+json";
    // MassTransit's "MT-Activity-Id": a consumer's span continues the publish's trace from it.
    const string ActivityIdHeader = "MT-Activity-Id";

    readonly ConcurrentDictionary<Type, Route> routes = new();
    readonly Lazy<ChannelContextSupervisor> channels = new(() =>
        // A consume agent of the connection's supervisor: it stops, and its channel closes, when the bus stops.
        new ChannelContextSupervisor(((IRabbitMqHostConfiguration)bus.HostConfiguration).ConnectionContextSupervisor, null));
    readonly Lazy<string> sourceAddress = new(() => bus.Bus.Address.ToString());

    // MassTransit's options (its converters), without the indentation it writes: a quarter fewer bytes per entry.
    static readonly Lazy<JsonSerializerOptions> Json = new(() => new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options) { WriteIndented = false });

    public async Task PublishAsync(object message, bool inBatch, CancellationToken cancellationToken)
    {
        if (message is not IHubEvent hubEvent)
        {
            await bus.Bus.Publish(message, cancellationToken);
            return;
        }

        var route = routes.GetOrAdd(message.GetType(), CreateRoute);
        using var activity = Activities.StartActivity(route.ActivityName, ActivityKind.Producer);
        var messageId = HubMessageIds.For(hubEvent.EventId).ToString();
        var headers = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (inBatch)
            headers[HubEventNames.InBatchHeader] = true;
        if (activity is not null)
        {
            headers[ActivityIdHeader] = activity.Id;
            activity.SetTag("messaging.system", "rabbitmq");
            activity.SetTag("messaging.operation", "publish");
            activity.SetTag("messaging.destination.name", route.Exchange);
            activity.SetTag("messaging.message.id", messageId);
            activity.SetTag("messaging.rabbitmq.destination.routing_key", hubEvent.Name);
        }

        var envelope = new JsonMessageEnvelope
        {
            MessageId = messageId,
            ConversationId = NewId.NextGuid().ToString(),
            SourceAddress = sourceAddress.Value,
            DestinationAddress = route.DestinationAddress,
            MessageType = route.MessageTypes,
            Message = message,
            SentTime = DateTime.UtcNow,
            Headers = headers,
            Host = HostMetadataCache.Host,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, Json.Value);
        // The transport headers as MassTransit writes them: true as "True", strings as they are.
        var transportHeaders = new Dictionary<string, object?>(headers.Count);
        foreach (var (key, value) in headers)
            transportHeaders[key] = value is true ? bool.TrueString : value;
        var properties = new BasicProperties { ContentType = ContentType, Persistent = true, MessageId = messageId, Headers = transportHeaders };
        try
        {
            await channels.Value.Send(new PublishPipe(route, hubEvent.Name, properties, body, cancellationToken), cancellationToken);
            Published.Add(1, Confirmed);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            Published.Add(1, NotConfirmed);
            throw;
        }
    }

    Route CreateRoute(Type type) =>
        (Route)typeof(RabbitMqHubEventWire).GetMethod(nameof(CreateRouteOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(type).Invoke(this, null)!;

    Route CreateRouteOf<T>()
        where T : class
    {
        var host = (IRabbitMqHostConfiguration)bus.HostConfiguration;
        var topology = host.Topology.PublishTopology.GetMessageTopology<T>();
        var settings = topology.GetSendSettings(host.HostAddress);
        Uri destination = settings.GetSendAddress(host.HostAddress);
        return new Route(
            topology.Exchange.ExchangeName,
            destination.ToString(),
            MessageTypeCache.GetMessageTypeNames(typeof(T)),
            topology.GetBrokerTopology());
    }

    sealed class Route(string exchange, string destinationAddress, string[] messageTypes, BrokerTopology topology)
    {
        // The channel this type's exchange and its bindings were last declared on (below).
        IChannel? declaredOn;

        public string Exchange { get; } = exchange;
        public string DestinationAddress { get; } = destinationAddress;
        public string[] MessageTypes { get; } = messageTypes;
        public string ActivityName { get; } = exchange + " send";

        /// <summary>
        /// The exchange and its bindings to the interfaces' exchanges, declared on each channel before its first publish
        /// of the type, as MassTransit's publish declares them (MassTransit's own once-per-channel setup is keyed by
        /// settings type, one for every message type on a shared channel, so it cannot be used here). Two first
        /// publishes at once may both declare: declares are idempotent.
        /// </summary>
        public async Task DeclareAsync(ChannelContext context, CancellationToken cancellationToken)
        {
            if (ReferenceEquals(Volatile.Read(ref declaredOn), context.Channel))
                return;
            foreach (var exchange in topology.Exchanges)
                await context.ExchangeDeclare(exchange.ExchangeName, exchange.ExchangeType, exchange.Durable, exchange.AutoDelete, exchange.ExchangeArguments, cancellationToken);
            foreach (var binding in topology.ExchangeBindings)
                await context.ExchangeBind(binding.Destination.ExchangeName, binding.Source.ExchangeName, binding.RoutingKey, binding.Arguments, cancellationToken);
            Volatile.Write(ref declaredOn, context.Channel);
        }

        // A failed publish may mean a missing exchange: declare again on the next one, as MassTransit does.
        public void Forget() => Volatile.Write(ref declaredOn, null);
    }

    sealed class PublishPipe(Route route, string routingKey, BasicProperties properties, byte[] body, CancellationToken cancellationToken) : IPipe<ChannelContext>
    {
        public async Task Send(ChannelContext context)
        {
            try
            {
                await route.DeclareAsync(context, cancellationToken);
                await context.BasicPublishAsync(route.Exchange, routingKey, false, properties, body, true, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                route.Forget();
                throw;
            }
            finally
            {
                // MassTransit 8.5's supervisor hands each Send a ScopeChannelContext of its own, whose token source is linked
                // to the channel's, and never disposes it (ActivePipeContext.DisposeAsync does nothing). Left alone, every
                // publish stayed registered on the channel's token, with the token it was given, for the channel's life:
                // about 460 bytes per event (docs/adr/0040). Nothing reads the scope after its Send.
                (context as ScopeChannelContext)?.Dispose();
            }
        }

        public void Probe(ProbeContext context) => context.CreateScope("hubEventWire");
    }
}
