using System.Diagnostics.CodeAnalysis;
using System.Net.Mime;
using System.Text.Json;
using EventHub.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace EventHub.Benchmarks;

/// <summary>
/// A prototype, measured by consume-paths: a MassTransit deserializer that reads a raw JSON body straight into a
/// <see cref="HubEventBatch"/> with one System.Text.Json pass. MassTransit's own parse the body into a JsonElement and
/// deserialize the message from that; a consume context whose message is already the object hands it over as it is.
/// </summary>
internal sealed class OnePassBatchDeserializer : IMessageDeserializer, ISerializerFactory
{
    static readonly string[] MessageTypes = [MessageUrn.ForTypeString<HubEventBatch>()];

    public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

    public IMessageSerializer CreateSerializer() => new SystemTextJsonRawMessageSerializer();

    public IMessageDeserializer CreateDeserializer() => this;

    public void Probe(ProbeContext context) => context.CreateScope("hub-event-batch-json");

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        var batch = JsonSerializer.Deserialize<HubEventBatch>(body.GetBytes(), SystemTextJsonMessageSerializer.Options)
            ?? throw new System.Runtime.Serialization.SerializationException("the body is not a batch");
        return new Context(ContentType, new RawMessageContext(headers, destinationAddress!, RawSerializerOptions.Default), batch);
    }

    public MessageBody GetMessageBody(string text) => new StringMessageBody(text);

    sealed class Context(ContentType contentType, MessageContext messageContext, HubEventBatch batch)
        : SystemTextJsonSerializerContext(SystemTextJsonMessageSerializer.Instance, SystemTextJsonMessageSerializer.Options, contentType, messageContext, MessageTypes, message: batch)
    {
        public override bool TryGetMessage<T>([NotNullWhen(true)] out T? message) where T : class
        {
            message = Message as T;
            return message is not null;
        }

        public override IMessageSerializer GetMessageSerializer() =>
            new SystemTextJsonBodyMessageSerializer(Message, ContentType, Options, RawSerializerOptions.Default);
    }
}
