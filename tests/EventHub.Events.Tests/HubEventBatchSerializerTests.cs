using System.Reflection;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
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

    [Fact]
    public void A_payload_written_as_json_is_read_as_the_exact_text_it_was_written_from()
    {
        // The next release's batches (docs/adr/0038): payloads as JSON values, mixed with one as a string; non-ASCII,
        // escapes and white space inside the value, an array and a number. Read from a slice, as a delivery is.
        const string Auth0Payload = """{"user_id":"auth0|é","details":{"q":"a\"b\u0000","n":[1,2.50,true,null]}}""";
        const string Spaced = "{ \"a\" :\n [ 1 , {} ] }";
        const string Times = "\"occurredAt\":\"1970-01-01T00:00:00+00:00\",\"receivedAt\":\"1970-01-01T00:00:00+00:00\"";
        var json = $$"""
            {"auth0":[{"eventId":"90020a","name":"auth0.login.failure","type":"f","payload":{{Auth0Payload}}}],
             "others":[
              {"eventId":"e1","name":"orders.created","source":"app",{{Times}},"payload":{{Spaced}}},
              {"eventId":"e2","name":"orders.listed","source":"app",{{Times}},"payload":[1,"two"]},
              {"eventId":"e3","name":"orders.counted","source":"app",{{Times}},"payload":42},
              {"eventId":"e4","name":"orders.shipped","source":"app",{{Times}},"payload":"{\"id\":1}"}]}
            """;
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var rented = new byte[bytes.Length + 32];
        bytes.CopyTo(rented, 7);

        var read = Read(new MemoryMessageBody(new ReadOnlyMemory<byte>(rented, 7, bytes.Length)));

        Assert.Equal(Auth0Payload, Assert.Single(read.Auth0).Payload);
        Assert.Equal([Spaced, """[1,"two"]""", "42", """{"id":1}"""], read.Others.Select(e => e.Payload));
    }

    [Fact]
    public void A_payload_that_is_not_json_fails_its_batch_as_a_serialization_error()
    {
        var body = new MemoryMessageBody("""{"others":[{"eventId":"e1","name":"n","source":"s","payload":{"a":}}]}"""u8.ToArray());

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Read(body));
    }

    [Theory]
    [InlineData("""{"a":1}""", JsonValueKind.Object)]
    [InlineData("""[1,"x",{"b":[]}]""", JsonValueKind.Array)]
    [InlineData("{ \"a\" :\n [ 1 , {} ] }", JsonValueKind.Object)]
    [InlineData("""{"user":"auth0|\u00e9","q":"a\"b\u0000\ud800"}""", JsonValueKind.Object)]
    [InlineData(""" {"a":1}""", JsonValueKind.String)]
    [InlineData("""{"a":1} """, JsonValueKind.String)]
    [InlineData("null", JsonValueKind.String)]
    [InlineData("42", JsonValueKind.String)]
    [InlineData("\"text\"", JsonValueKind.String)]
    [InlineData("", JsonValueKind.String)]
    [InlineData("""{"a":}""", JsonValueKind.String)]
    [InlineData("{}{}", JsonValueKind.String)]
    [InlineData("[1,]", JsonValueKind.String)]
    [InlineData("{/* a comment */}", JsonValueKind.String)]
    public void A_payload_is_written_as_json_when_it_is_one_object_or_array_and_as_a_string_otherwise_and_reads_back_the_same(string payload, JsonValueKind written)
    {
        var batch = new HubEventBatch { Others = [new HubEventRecord("evt-1", "orders.created", "app", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, payload)] };

        var json = HubEventBatchSerializer.Serialize(batch);

        Assert.Equal(written, JsonDocument.Parse(json).RootElement.GetProperty("others")[0].GetProperty("payload").ValueKind);
        Assert.Equal(payload, Assert.Single(Read(new BytesMessageBody(json)).Others).Payload);
    }

    [Fact]
    public void A_payload_nested_deeper_than_a_batch_can_be_read_with_it_is_written_as_a_string_and_one_at_the_limit_as_json()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("""{"a":""", depth - 1)) + "{}" + new string('}', depth - 1);
        var batch = new HubEventBatch
        {
            Others =
            [
                new HubEventRecord("deepest", "n", "s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Nested(61)),
                new HubEventRecord("too-deep", "n", "s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Nested(62)),
            ],
        };

        var json = HubEventBatchSerializer.Serialize(batch);

        var payloads = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 }).RootElement.GetProperty("others").EnumerateArray().Select(e => e.GetProperty("payload").ValueKind);
        Assert.Equal([JsonValueKind.Object, JsonValueKind.String], payloads);
        Assert.Equal(batch.Others.Select(e => e.Payload), Read(new BytesMessageBody(json)).Others.Select(e => e.Payload));
    }

    [Fact]
    public void An_auth0_entry_s_payload_is_written_as_its_json_too()
    {
        var entry = """{"log_id":"90020a","type":"f","details":{"error":{"message":"Wrong \"password\""}}}""";
        var batch = new HubEventBatch { Auth0 = [new Auth0LogEntryValues { EventId = "90020a", Name = "auth0.login.failure", Type = "f", Payload = entry }] };

        var json = HubEventBatchSerializer.Serialize(batch);

        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(json).RootElement.GetProperty("auth0")[0].GetProperty("payload").ValueKind);
        Assert.Equal(entry, Assert.Single(Read(new BytesMessageBody(json)).Auth0).Payload);
    }

    static HubEventBatch Read(MessageBody body)
    {
        var context = HubEventBatchSerializer.Instance.Deserialize(body, new DictionarySendHeaders(new Dictionary<string, object?>()), new Uri("loopback://localhost/test"));
        Assert.True(context.TryGetMessage<HubEventBatch>(out var batch));
        return batch!;
    }
}
