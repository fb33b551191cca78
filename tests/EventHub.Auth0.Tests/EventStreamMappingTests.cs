using System.Text;
using System.Text.Json.Nodes;
using EventHub.Auth0.EventStreams;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.TestSupport;

namespace EventHub.Auth0.Tests;

/// <summary>Auth0 Event Streams CloudEvents (written from the public schema) → validated → typed change records.</summary>
public sealed class EventStreamMappingTests
{
    static readonly DateTimeOffset ReceivedAt = new(2026, 11, 20, 10, 20, 0, TimeSpan.Zero);

    [Fact]
    public void Should_map_a_database_signup_to_Auth0UserCreated_with_every_attribute()
    {
        var cloudEvent = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();

        var change = MapOne(cloudEvent.ToJsonString());

        var created = Assert.IsType<Auth0UserCreated>(change);
        Assert.IsAssignableFrom<IAuth0UserChange>(created);
        Assert.Equal(cloudEvent["id"]!.GetValue<string>(), created.EventId);
        Assert.StartsWith("evt_", created.EventId, StringComparison.Ordinal);
        Assert.Equal("auth0.events.user.created", created.Name);
        Assert.Equal("user.created", created.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 15, 30, 123, TimeSpan.Zero), created.Time);
        Assert.Equal(created.Time, created.OccurredAt);
        Assert.Equal(ReceivedAt, created.ReceivedAt);
        Assert.Equal("example-tenant", created.Tenant);
        Assert.Equal("auth0:example-tenant", created.Source);
        Assert.Equal(Auth0EventStreamEvents.Source, created.CloudEventSource);
        Assert.Equal(Auth0EventStreamEvents.Stream, created.Stream);
        Assert.False(created.IsTest);
        Assert.Null(created.Purpose);
        Assert.Equal(Auth0EventStreamEvents.UserId, created.UserId);
        Assert.Null(created.OrganizationId);
        Assert.Equal(cloudEvent["data"]!["object"]!.ToJsonString(), created.Data);
        Assert.Equal(cloudEvent.ToJsonString(), created.Payload);
    }

    [Fact]
    public void Should_map_user_updated_deleted_and_membership_to_their_records()
    {
        var body = Auth0EventStreamEvents.Batch(
            Auth0EventStreamEvents.UserUpdated("Jane Q. Doe", "2026-11-21T09:00:00Z"),
            Auth0EventStreamEvents.UserDeleted(),
            Auth0EventStreamEvents.OrganizationMemberAdded());

        var changes = Map(body, CloudEventParser.BatchMediaType);

        Assert.Collection(changes,
            c => { Assert.IsType<Auth0UserUpdated>(c); Assert.Equal("auth0.events.user.updated", c.Name); Assert.Contains("Jane Q. Doe", c.Data, StringComparison.Ordinal); },
            c => { Assert.IsType<Auth0UserDeleted>(c); Assert.Equal("auth0.events.user.deleted", c.Name); Assert.Equal(Auth0EventStreamEvents.UserId, c.UserId); },
            c =>
            {
                var added = Assert.IsType<Auth0OrganizationMemberAdded>(c);
                Assert.IsAssignableFrom<IAuth0OrganizationMemberChange>(added);
                Assert.IsAssignableFrom<IAuth0OrganizationChange>(added);
                Assert.Equal("auth0.events.organization.member.added", added.Name);
                Assert.Equal(Auth0EventStreamEvents.UserId, added.UserId);
                Assert.Equal(Auth0EventStreamEvents.OrganizationId, added.OrganizationId);
            });
    }

    [Fact]
    public void Should_flag_a_test_event_and_name_it_like_a_real_one()
    {
        var change = MapOne(Auth0EventStreamEvents.UserCreatedFromDatabaseSignup(purpose: "test").ToJsonString());

        Assert.IsType<Auth0UserCreated>(change);
        Assert.True(change.IsTest);
        Assert.Equal("test", change.Purpose);
        Assert.Equal("auth0.events.user.created", change.Name);
    }

    [Theory]
    [InlineData("session.revoked", "auth0.events.session.revoked")]
    [InlineData("Session.Revoked/Now", "auth0.events.session.revoked_now")]
    [InlineData("a..b.", "auth0.events.a._.b._")]
    [InlineData("connection.created", "auth0.events.connection.created")]
    public void Should_pass_unknown_types_through_with_their_raw_data_and_a_safe_name(string type, string name)
    {
        var cloudEvent = Auth0EventStreamEvents.Unknown(type);

        var change = MapOne(cloudEvent.ToJsonString());

        var unknown = Assert.IsType<Auth0UnknownChangeEvent>(change);
        Assert.Equal(type, unknown.Type);
        Assert.Equal(name, unknown.Name);
        Assert.True(Contracts.EventName.IsValid(unknown.Name), unknown.Name);
        Assert.Equal(cloudEvent["data"]!["object"]!.ToJsonString(), unknown.Data);
        Assert.Equal(Auth0EventStreamEvents.UserId, unknown.UserId);
    }

    [Fact]
    public void Should_type_every_documented_event_type_with_its_own_record()
    {
        var types = Auth0ChangeTypes.Known.ToList();

        Assert.Equal(22, types.Count);
        foreach (var type in types)
        {
            var change = MapOne(Auth0EventStreamEvents.Event(type, new JsonObject { ["id"] = "x" }).ToJsonString());
            Assert.IsNotType<Auth0UnknownChangeEvent>(change);
            Assert.Equal("auth0.events." + type, change.Name);
            Assert.Equal(type, change.Type);
            Assert.EndsWith(string.Concat(type.Split('.').Select(w => char.ToUpperInvariant(w[0]) + w[1..])), change.GetType().Name, StringComparison.Ordinal);
        }

        Assert.Equal(types.Count, types.Select(t => MapOne(Auth0EventStreamEvents.Event(t, new JsonObject()).ToJsonString()).GetType()).Distinct().Count());
    }

    [Fact]
    public void Should_take_the_reverse_dns_spelling_of_a_known_type_and_fall_back_to_arrival_without_time()
    {
        var cloudEvent = Auth0EventStreamEvents.UserDeleted();
        cloudEvent["type"] = "com.auth0.user.deleted";
        cloudEvent.Remove("time");

        var change = MapOne(cloudEvent.ToJsonString());

        Assert.IsType<Auth0UserDeleted>(change);
        Assert.Equal("auth0.events.user.deleted", change.Name);
        Assert.Equal(ReceivedAt, change.Time);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { Without("id"), "application/cloudevents+json", "id" },
        { Without("type"), "application/cloudevents+json", "type" },
        { Without("specversion"), "application/json", "specversion" },
        { Without("source"), "application/json", "source" },
        { With("specversion", "0.3"), "application/cloudevents+json", "specversion" },
        { With("specversion", 1.0), "application/cloudevents+json", "specversion" },
        { With("id", ""), "application/json", "id" },
        { With("id", 42), "application/json", "id" },
        { With("time", "yesterday"), "application/json", "time" },
        { With("a0purpose", true), "application/json", "a0purpose" },
        { With("data_base64", "e30="), "application/json", "data_base64" },
        { "{\"specversion\": \"1.0\",", "application/json", "body" },
        { "\"user.created\"", "application/json", "body" },
        { "[" + Auth0EventStreamEvents.UserDeleted().ToJsonString() + "]", "application/cloudevents+json", "body" },
        { Auth0EventStreamEvents.UserDeleted().ToJsonString(), "application/cloudevents-batch+json", "body" },
        { "[" + Auth0EventStreamEvents.UserDeleted().ToJsonString() + "," + Without("id") + "]", "application/cloudevents-batch+json", "[1].id" },
        { "[" + Auth0EventStreamEvents.UserDeleted().ToJsonString() + ", 7]", "application/json", "[1]" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void Should_reject_a_bad_request_whole_naming_the_field(string body, string mediaType, string field)
    {
        var batch = CloudEventParser.Parse(Encoding.UTF8.GetBytes(body), mediaType, maxEvents: 100);

        Assert.False(batch.IsValid);
        Assert.Empty(batch.Events);
        Assert.Equal(field, batch.Errors.Keys.First());
        Assert.False(batch.TooMany);
    }

    [Fact]
    public void Should_refuse_more_events_than_allowed_as_too_many()
    {
        var body = Auth0EventStreamEvents.Batch([.. Enumerable.Range(0, 4).Select(_ => Auth0EventStreamEvents.UserDeleted())]);

        var batch = CloudEventParser.Parse(Encoding.UTF8.GetBytes(body), CloudEventParser.BatchMediaType, maxEvents: 3);

        Assert.True(batch.TooMany);
        Assert.Equal("body", Assert.Single(batch.Errors.Keys));
        Assert.Equal(4, CloudEventParser.Parse(Encoding.UTF8.GetBytes(body), "application/json", maxEvents: 4).Events.Count);
    }

    static string Without(string attribute)
    {
        var cloudEvent = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        cloudEvent.Remove(attribute);
        return cloudEvent.ToJsonString();
    }

    static string With(string attribute, JsonNode value)
    {
        var cloudEvent = Auth0EventStreamEvents.UserCreatedFromDatabaseSignup();
        cloudEvent[attribute] = value;
        return cloudEvent.ToJsonString();
    }

    static Auth0Change MapOne(string body) => Assert.Single(Map(body, CloudEventParser.SingleMediaType));

    static List<Auth0Change> Map(string body, string mediaType)
    {
        var batch = CloudEventParser.Parse(Encoding.UTF8.GetBytes(body), mediaType, maxEvents: 100);
        Assert.True(batch.IsValid, string.Join("; ", batch.Errors.Select(e => $"{e.Key} {e.Value[0]}")));
        return [.. batch.Events.Select(e => Auth0ChangeMapper.Map(e, ReceivedAt))];
    }
}
