using System.Text;
using System.Text.Json.Nodes;
using EventHub.Auth0.LogStream;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;

namespace EventHub.Auth0.Tests;

public sealed class Auth0LogMapperTests
{
    static readonly DateTimeOffset ReceivedAt = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> EveryCode => [.. Auth0LogTypes.ByCode.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EveryCode))]
    public void Should_map_every_known_code_to_its_contract_and_name(string code)
    {
        var mapped = MapOne(Auth0Entries.Record(code, logId: "log-" + code));

        var type = Auth0LogTypes.ByCode[code];
        Assert.IsType(type.ContractType, mapped);
        var entry = Assert.IsAssignableFrom<IAuth0LogEvent>(mapped);
        Assert.Equal($"auth0.{type.Group}.{code}", entry.Name);
        Assert.True(EventName.IsValid(entry.Name), entry.Name);
        Assert.Equal(code, entry.Type);
        Assert.Equal(type.Group, entry.Group);
        Assert.Equal("log-" + code, entry.EventId);
        Assert.Equal("auth0|6512f0c1a2b3c4d5e6f70812", entry.UserId);
    }

    [Theory]
    [InlineData("brand_new", "auth0.other.brand_new")]
    [InlineData("Mixed-Case", "auth0.other.mixed-case")]
    [InlineData("a.b c", "auth0.other.a_b_c")]
    public void Should_name_unknown_codes_under_other_with_a_safe_name(string code, string name)
    {
        var mapped = Assert.IsType<Auth0UnknownLogEvent>(MapOne(Auth0Entries.Record(code)));

        Assert.Equal(name, mapped.Name);
        Assert.Equal("other", mapped.Group);
        Assert.Equal(code, mapped.Type);
    }

    [Fact]
    public void Should_keep_a_very_long_unknown_code_within_the_name_limit()
    {
        var mapped = MapOne(Auth0Entries.Record(new string('x', 1000)));

        Assert.Equal(255, mapped.Name.Length);
        Assert.True(EventName.IsValid(mapped.Name));
    }

    [Fact]
    public void Should_take_the_id_from_the_wrapper_then_from_data_then_from_the_content()
    {
        var both = Auth0Entries.Record("s", logId: "wrapper-id").With("log_id", "data-id");
        var dataOnly = Auth0Entries.Record("s").With("log_id", "data-id");
        dataOnly.Remove("log_id");
        var numeric = JsonNode.Parse("""{"log_id": 90020231120, "data": {"type": "s"}}""")!.AsObject();
        var none = JsonNode.Parse("""{"data": {"type": "s", "date": "2026-11-20T10:00:00Z"}}""")!.AsObject();
        var other = JsonNode.Parse("""{"data": {"type": "s", "date": "2026-11-20T10:00:01Z"}}""")!.AsObject();

        Assert.Equal("wrapper-id", MapOne(both).EventId);
        Assert.Equal("data-id", MapOne(dataOnly).EventId);
        Assert.Equal("90020231120", MapOne(numeric).EventId);
        Assert.Equal(MapOne(none).EventId, MapOne(JsonNode.Parse(none.ToJsonString())!.AsObject()).EventId);
        Assert.NotEqual(MapOne(none).EventId, MapOne(other).EventId);
        Assert.StartsWith("sha256-", MapOne(none).EventId, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_control_characters_out_of_the_id_and_the_source_which_postgresql_stores_as_text()
    {
        var record = JsonNode.Parse("""{"log_id": "9002\u0000x", "data": {"type": "f", "tenant_name": "acme\u0000\ttenant", "log_id": "in\u0001data"}}""")!.AsObject();

        var mapped = MapOne(record);

        Assert.StartsWith("sha256-", mapped.EventId, StringComparison.Ordinal);
        Assert.Equal("auth0:acme__tenant", mapped.Source);
        Assert.Contains("\\u0000", mapped.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-07-26T13:11:18.123Z", 2023, 7, 26, 13, 11, 18, 1230000)]
    [InlineData("2023-07-26 13:11:18.123456789", 2023, 7, 26, 13, 11, 18, 1234568)]
    [InlineData("2023-07-26T15:11:18+02:00", 2023, 7, 26, 13, 11, 18, 0)]
    public void Should_read_both_date_forms_as_utc(string date, int y, int mo, int d, int h, int mi, int s, long ticks)
    {
        var mapped = MapOne(Auth0Entries.Record("s").With("date", date));

        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).AddTicks(ticks), mapped.OccurredAt);
        Assert.Equal(TimeSpan.Zero, mapped.OccurredAt.Offset);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("12")]
    [InlineData("null")]
    public void Should_use_the_receive_time_when_the_date_is_missing_or_unreadable(string date)
    {
        var record = Auth0Entries.Record("s").With("date", JsonNode.Parse(date));
        Assert.Equal(ReceivedAt, MapOne(record).OccurredAt);
        Assert.Equal(ReceivedAt, MapOne(Auth0Entries.Record("s").With("date", null)).OccurredAt);
    }

    [Fact]
    public void Should_read_scope_as_string_or_array_and_booleans_and_numbers_leniently()
    {
        var fromString = (IAuth0LogEvent)MapOne(Auth0Entries.Record("seacft").With("scope", "openid  profile email").With("isMobile", "false"));
        var fromArray = (IAuth0LogEvent)MapOne(Auth0Entries.Record("seacft").With("scope", JsonNode.Parse("""["read:a", 5, null, "write:b"]""")).With("isMobile", true));
        var odd = (IAuth0LogEvent)MapOne(Auth0Entries.Record("seacft").With("isMobile", "maybe").With("user_name", 15551234567).With("client_name", JsonNode.Parse("""{"x":1}""")));

        Assert.Equal(["openid", "profile", "email"], fromString.Scope);
        Assert.False(fromString.IsMobile);
        Assert.Equal(["read:a", "write:b"], fromArray.Scope);
        Assert.True(fromArray.IsMobile);
        Assert.Null(odd.IsMobile);
        Assert.Equal("15551234567", odd.UserName);
        Assert.Null(odd.ClientName);
        Assert.Empty(odd.Scope);
    }

    [Fact]
    public void Should_keep_data_exactly_as_sent_and_ignore_escaped_field_names()
    {
        const string data = """{ "type" : "f",   "user_id":"auth0|1", "\u0069p": "198.51.100.1", "details": {"a": [1, {"b": null}]}, "z": "é\u00e9" }""";
        var body = Encoding.UTF8.GetBytes("[{\"log_id\":\"x1\",\"data\":" + data + "}]");

        var entry = (IAuth0LogEvent)Map(body).Single();

        Assert.Equal(data, entry.Payload);
        Assert.Equal("auth0|1", entry.UserId);
        Assert.Null(entry.Ip);
    }

    [Theory]
    [InlineData("""{"log_id":"u1"}""", "missing_data")]
    [InlineData("""{"log_id":"u1","data":[1]}""", "data_not_object")]
    [InlineData("""{"log_id":"u1","data":{"date":"2026-01-01T00:00:00Z"}}""", "missing_type")]
    [InlineData("""{"log_id":"u1","data":{"type":""}}""", "missing_type")]
    [InlineData("""{"log_id":"u1","data":{"type":null}}""", "missing_type")]
    public void Should_keep_an_unusable_record_as_unrecognized_with_its_exact_text(string record, string reason)
    {
        var entry = Assert.IsType<Auth0UnrecognizedEntry>(Map(Encoding.UTF8.GetBytes(record)).Single());

        Assert.Equal(reason, entry.Reason);
        Assert.Equal(record, entry.Payload);
        Assert.Equal("u1", entry.EventId);
        Assert.Equal("auth0.unrecognized", entry.Name);
    }

    [Fact]
    public void Should_map_every_entry_of_every_real_fixture()
    {
        var files = SharedCorpus.Auth0FixtureFiles();
        if (files.Count == 0)
            Assert.Skip("../shared/fixtures/auth0 not found: the real Auth0 payloads were not checked on this machine.");

        var codes = new HashSet<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var records = JsonNode.Parse(bytes)!.AsArray();
            var mapped = Map(bytes);
            Assert.Equal(records.Count, mapped.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var entry = Assert.IsAssignableFrom<IAuth0LogEvent>(mapped[i]);
                Assert.Equal(records[i]!["data"]!["type"]!.GetValue<string>(), entry.Type);
                Assert.Equal(records[i]!["log_id"]?.GetValue<string>() ?? entry.EventId, entry.EventId);
                Assert.NotEqual(ReceivedAt, entry.OccurredAt);
                codes.Add(entry.Type);
            }
        }

        Assert.True(codes.Count >= 10, $"the corpus covers many codes ({codes.Count})");
    }

    static IHubEvent MapOne(JsonObject record) => Map(Encoding.UTF8.GetBytes(Auth0Entries.JsonArray([record]))).Single();

    static List<IHubEvent> Map(byte[] body) => [.. LogStreamParser.Parse(body).Select(fields => Auth0LogMapper.Map(fields, body, ReceivedAt))];
}
