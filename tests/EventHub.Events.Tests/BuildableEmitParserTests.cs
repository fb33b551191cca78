using System.Text;
using EventHub.Events.Emit;

namespace EventHub.Events.Tests;

/// <summary>The Buildable body of <c>POST /emit</c>: <c>event</c> names the event, everything else is <c>POST /v1/events</c>.</summary>
public sealed class BuildableEmitParserTests
{
    static readonly EventsOptions Options = new() { MaxPayloadBytes = 1024, MaxBatchSize = 3 };

    [Fact]
    public void Should_read_the_articles_body_with_its_payload_byte_for_byte()
    {
        const string body = "{\n\"event\": \"my-first-event\",\n\"payload\": {\n\"salutation\": \"Hello World!\"\n}\n}";

        var request = Parse(body, "application/json");

        Assert.True(request.IsValid);
        var candidate = Assert.Single(request.Events);
        Assert.Equal("my-first-event", candidate.Name);
        Assert.Equal("{\n\"salutation\": \"Hello World!\"\n}", candidate.Payload);
        Assert.Null(candidate.Id);
    }

    [Fact]
    public void Should_read_the_buildable_shape_whatever_the_content_type_and_never_as_cloudevents()
    {
        var request = Parse("""{"event": "a.b", "payload": 1, "id": "x-1", "time": "2026-11-20T08:00:00Z"}""", "application/cloudevents+json");

        var candidate = Assert.Single(request.Events);
        Assert.Equal("a.b", candidate.Name);
        Assert.Equal("x-1", candidate.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), candidate.Time);
    }

    [Theory]
    [InlineData("""{"name": "a.b", "payload": 1}""", "event")]
    [InlineData("""{"event": "A B", "payload": 1}""", "event")]
    [InlineData("""{"event": "auth0.events.user.created", "payload": 1}""", "event")]
    [InlineData("""{"event": "a.b"}""", "payload")]
    [InlineData("""[{"event": "a.b", "payload": 1}, {"payload": 1}]""", "[1].event")]
    [InlineData("""[{"event": "a", "payload": 1}, {"event": "b", "payload": 1}, {"event": "c", "payload": 1}, {"event": "d", "payload": 1}]""", "body")]
    public void Should_name_the_buildable_field_of_each_problem(string body, string field)
    {
        var request = Parse(body, "application/json");

        Assert.False(request.IsValid);
        Assert.Equal(field, request.Errors.Keys.First());
    }

    [Fact]
    public void Should_keep_v1_events_reading_name_not_event()
    {
        var request = EmitBodyParser.Parse(Encoding.UTF8.GetBytes("""{"event": "a.b", "payload": 1}"""), "application/json", Options);

        // v1 takes "name", and refuses a field it does not know: "event" is Buildable's, only on /emit.
        Assert.Equal(["event", "name"], request.Errors.Keys.Order(StringComparer.Ordinal));
    }

    static EmitRequest Parse(string body, string mediaType) => EmitBodyParser.Parse(Encoding.UTF8.GetBytes(body), mediaType, Options, EmitShape.Buildable);
}
