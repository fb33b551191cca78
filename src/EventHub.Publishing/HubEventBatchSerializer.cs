using System.Diagnostics.CodeAnalysis;
using System.Net.Mime;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventHub.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace EventHub.Publishing;

/// <summary>
/// The wire format of a <see cref="HubEventBatch"/>: its JSON alone, under a content type of its own, read in one
/// System.Text.Json pass by the two endpoints that consume batches. MassTransit's envelope serializer parses a body into a
/// JsonElement, then the envelope and the message from that: 32-34 µs per Auth0 entry per consumer, against 12 this way
/// (bench consume-paths, docs/adr/0032). The consume pipeline, batching, retries and error queues stay MassTransit's: a
/// serializer context whose message is already the object hands it over as it is. Batches in MassTransit's envelope (a
/// release before c394057) are still read, by MassTransit's default deserializer (docs/adr/0032).
/// </summary>
public sealed class HubEventBatchSerializer : ISerializerFactory, IMessageSerializer, IMessageDeserializer
{
    public static readonly HubEventBatchSerializer Instance = new();

    static readonly ContentType BatchContentType = new("application/vnd.eventhub.batch+json");
    static readonly string[] MessageTypes = [MessageUrn.ForTypeString<HubEventBatch>()];

    HubEventBatchSerializer()
    {
    }

    public ContentType ContentType => BatchContentType;

    public IMessageSerializer CreateSerializer() => this;

    public IMessageDeserializer CreateDeserializer() => this;

    public void Probe(ProbeContext context) => context.CreateScope("hubEventBatch").Add("contentType", ContentType.MediaType);

    // MassTransit's options (its converters) without the indentation it writes: 8 % fewer bytes per batch of real entries
    // (bench payload-formats). Whitespace means nothing to a reader, so every release reads either. Payloads are written as
    // JSON values and read as those or as strings (BatchPayloads, docs/adr/0038).
    static readonly JsonSerializerOptions Options = new(SystemTextJsonMessageSerializer.Options)
    {
        WriteIndented = false,
        TypeInfoResolver = SystemTextJsonMessageSerializer.Options.TypeInfoResolver!.WithAddedModifier(BatchPayloads.Modify),
    };

    /// <summary>A batch as this release writes it.</summary>
    public static byte[] Serialize(HubEventBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch, Options);

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class =>
        context.Message is HubEventBatch
            ? new SystemTextJsonRawMessageBody<T>(context, Options)
            : throw new SerializationException($"{ContentType.MediaType} carries a {nameof(HubEventBatch)} only, not {typeof(T).Name}");

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        HubEventBatch? batch;
        try
        {
            batch = BatchPayloads.Read<HubEventBatch>(Json(body), Options);
        }
        catch (JsonException e)
        {
            throw new SerializationException($"The body is not a {nameof(HubEventBatch)}: {e.Message}", e);
        }

        return new Context(ContentType, new RawMessageContext(headers, destinationAddress!, RawSerializerOptions.Default),
            batch ?? throw new SerializationException($"The body is not a {nameof(HubEventBatch)}: null"));
    }

    public MessageBody GetMessageBody(string text) => new StringMessageBody(text);

    /// <summary>
    /// The body's bytes without copying them where MassTransit holds them as memory. A RabbitMQ delivery's body is a
    /// <see cref="MemoryMessageBody"/> over the client's buffer, valid while the delivery is consumed, which is when this
    /// runs; its only public reads, <c>GetBytes</c> and <c>GetStream</c>, copy it into a new array. A batch of 100 real
    /// Auth0 entries is about 130 KB: every copy, one per consuming endpoint, landed on the large object heap, an eighth of
    /// what the host allocated during ingest and what set off its gen2 collections (docs/adr/0037). The field is
    /// MassTransit's private one; if a release renames it, the copy is made as before.
    /// </summary>
    static ReadOnlyMemory<byte> Json(MessageBody body)
    {
        if (body is MemoryMessageBody memory && !memoryFieldMissing)
        {
            try
            {
                return MemoryOf(memory);
            }
            catch (MissingFieldException)
            {
                memoryFieldMissing = true;
            }
        }

        return body.GetBytes();
    }

    static bool memoryFieldMissing;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_memory")]
    static extern ref readonly ReadOnlyMemory<byte> MemoryOf(MemoryMessageBody body);

    sealed class Context(ContentType contentType, MessageContext messageContext, HubEventBatch batch)
        : SystemTextJsonSerializerContext(SystemTextJsonMessageSerializer.Instance, HubEventBatchSerializer.Options, contentType, messageContext, MessageTypes, message: batch)
    {
        public override bool TryGetMessage<T>([NotNullWhen(true)] out T? message)
            where T : class
        {
            message = Message as T;
            return message is not null;
        }

        // Used when MassTransit sends the message on again (a redelivery, the error queue): the same format, written as
        // GetMessageBody writes it (no indentation, payloads as JSON values).
        public override IMessageSerializer GetMessageSerializer() =>
            new SystemTextJsonBodyMessageSerializer(Message, ContentType, Options, RawSerializerOptions.Default);
    }
}
