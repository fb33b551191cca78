using System.Security.Cryptography;
using System.Text;
using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>
/// Gives every published hub event its identity on the wire: a MessageId derived from the event id (so a resent
/// Auth0 entry or a repeated emit is recognisably the same message) and, on RabbitMQ, the event name as routing key
/// (so queues bound to <c>eventhub.events</c> with topic patterns receive it); a <see cref="HubEventBatch"/> its own
/// content type (<see cref="HubEventBatchSerializer"/>, docs/adr/0032) and routing key on <c>eventhub.batches</c>. Done
/// here once, for every module.
/// </summary>
internal sealed class HubEventPublishFilter<T> : IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        if (context.Message is IHubEvent hubEvent)
        {
            context.MessageId = MessageIdFor(hubEvent.EventId);
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                rabbit.RoutingKey = hubEvent.Name;
        }
        else if (context.Message is HubEventBatch batch)
        {
            // Read by this release and the one before it (ADR 0032's two-release roll), so a rolling upgrade from that
            // release sends nothing to an error queue.
            context.Serializer = HubEventBatchSerializer.Instance;
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                rabbit.RoutingKey = batch.RoutingKey;
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hubEventIdentity");

    /// <summary>A name-based GUID (SHA-256 of the event id, RFC 9562 version 8 layout): the same event id always gives the same MessageId.</summary>
    public static Guid MessageIdFor(string eventId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(eventId.Length) + Namespace.Length;
        var buffer = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        Namespace.CopyTo(buffer);
        var length = Namespace.Length + Encoding.UTF8.GetBytes(eventId, buffer[Namespace.Length..]);
        SHA256.HashData(buffer[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    static ReadOnlySpan<byte> Namespace => "eventhub:event-id:"u8;
}
