using System.Reflection;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;
using MassTransit.Serialization;

namespace EventHub.Events.Tests;

/// <summary>
/// The batch format's reader takes a RabbitMQ delivery's body where the client holds it, without the copy MassTransit's
/// <c>GetBytes</c> makes (docs/adr/0037), and reads any other body as before.
/// </summary>
public sealed class HubEventBatchSerializerTests
{
    static readonly HubEventBatch Batch = new()
    {
        Others =
        [
            new HubEventRecord("evt-1", "orders.created", "app", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, """{"id":1}"""),
            new HubEventRecord("evt-2", "orders.shipped", "app", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, """{"id":"\u00e9\u0000"}"""),
        ],
    };

    [Fact]
    public void A_delivery_body_held_as_memory_is_read_where_it_is_without_a_copy()
    {
        // As the RabbitMQ client hands it over: a slice of a larger buffer it rents.
        var json = JsonSerializer.SerializeToUtf8Bytes(Batch, SystemTextJsonMessageSerializer.Options);
        var rented = new byte[json.Length + 64];
        json.CopyTo(rented, 16);
        var body = new MemoryMessageBody(new ReadOnlyMemory<byte>(rented, 16, json.Length));

        var read = Read(body);

        Assert.Equal(Batch.Others, read.Others);
        Assert.Null(typeof(MemoryMessageBody).GetField("_bytes", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(body));
    }

    [Fact]
    public void A_body_held_as_an_array_is_read_as_before()
    {
        var body = new BytesMessageBody(JsonSerializer.SerializeToUtf8Bytes(Batch, SystemTextJsonMessageSerializer.Options));

        Assert.Equal(Batch.Others, Read(body).Others);
    }

    [Fact]
    public void A_body_that_is_not_a_batch_is_refused_as_a_serialization_error()
    {
        var body = new MemoryMessageBody("""{"auth0":"not a list"}"""u8.ToArray());

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Read(body));
    }

    static HubEventBatch Read(MessageBody body)
    {
        var context = HubEventBatchSerializer.Instance.Deserialize(body, new DictionarySendHeaders(new Dictionary<string, object?>()), new Uri("loopback://localhost/test"));
        Assert.True(context.TryGetMessage<HubEventBatch>(out var batch));
        return batch!;
    }
}
