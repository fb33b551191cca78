using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>POST /webhooks/auth0 on the real host (in-memory bus): formats, mapping, identity, and every bad input.</summary>
public sealed class Auth0WebhookTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    // These tests count what the ingress publishes: the security sagas, which publish alerts of their own from the same
    // entries, are off here (they have their tests in EventHub.Security.Tests and SecurityAlertsTests).
    readonly EmbeddedHub _hub = new(new()
    {
        ["EventHub:Security:BruteForce:Enabled"] = "false",
        ["EventHub:Security:CredentialStuffing:Enabled"] = "false",
        ["EventHub:Security:BreachedPassword:Enabled"] = "false",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [Fact]
    public async Task Should_publish_each_entry_as_its_typed_contract_named_by_filter_group_and_code()
    {
        var failed = Auth0Entries.Record("f");
        var success = Auth0Entries.Record("s");
        var mgmt = Auth0Entries.Record("sapi");
        var leak = Auth0Entries.Record("pwd_leak");

        var response = await _hub.PostAuth0Async(Auth0Entries.JsonArray([failed, success, mgmt, leak]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["accepted"]!.GetValue<int>());
        var published = _hub.Recorder.Messages<IAuth0LogEvent>();
        Assert.Collection(published.OrderBy(e => e.Type, StringComparer.Ordinal),
            e => { Assert.IsType<Auth0FailedLogin>(e); Assert.IsAssignableFrom<IAuth0LoginFailure>(e); Assert.Equal("auth0.auth.login.fail.f", e.Name); Assert.Equal(failed["log_id"]!.GetValue<string>(), e.EventId); },
            e => { Assert.Equal("pwd_leak", e.Type); Assert.Equal("auth0.other.pwd_leak", e.Name); Assert.IsAssignableFrom<IAuth0Other>(e); },
            e => { Assert.IsType<Auth0SuccessLogin>(e); Assert.IsAssignableFrom<IAuth0LoginSuccess>(e); Assert.Equal("auth0.auth.login.success.s", e.Name); },
            e => { Assert.Equal("auth0.management.success.sapi", e.Name); Assert.IsAssignableFrom<IAuth0ManagementSuccess>(e); });
    }

    [Fact]
    public async Task Should_type_the_common_fields_and_keep_data_byte_for_byte()
    {
        var record = Auth0Entries.Record("f")
            .With("scope", "openid profile  email")
            .With("isMobile", "true")
            .With("date", "2023-07-26 13:11:18.123456789")
            .With("organization_id", "org_W3yvGQpZmR8tLk2D")
            .With("audience", "https://api.example.com/");
        var data = record["data"]!.ToJsonString();
        var body = $$"""[ {"log_id": "{{record["log_id"]}}", "data": {{data}} } ]""";

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(body)).StatusCode);

        var entry = Assert.Single(_hub.Recorder.Messages<IAuth0LogEvent>());
        Assert.Equal(["openid", "profile", "email"], entry.Scope);
        Assert.True(entry.IsMobile);
        Assert.Equal(new DateTimeOffset(2023, 7, 26, 13, 11, 18, TimeSpan.Zero).AddTicks(1234568), entry.OccurredAt);
        Assert.Equal("org_W3yvGQpZmR8tLk2D", entry.OrganizationId);
        Assert.Equal("https://api.example.com/", entry.Audience);
        Assert.Equal("auth0|6512f0c1a2b3c4d5e6f70812", entry.UserId);
        Assert.Equal("203.0.113.7", entry.Ip);
        Assert.Equal("example-tenant", entry.Tenant);
        Assert.Equal("auth0:example-tenant", entry.Source);
        Assert.Equal("Storefront", entry.ClientName);
        Assert.Equal(data, entry.Payload);
    }

    [Fact]
    public async Task Should_accept_json_lines_and_a_single_object_like_a_json_array()
    {
        var records = new[] { Auth0Entries.Record("f"), Auth0Entries.Record("s") };

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(Auth0Entries.JsonLines(records), contentType: "application/x-ndjson")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(records[0].ToJsonString())).StatusCode);

        var ids = _hub.Recorder.Messages<IAuth0LogEvent>().Select(e => e.EventId).ToList();
        Assert.Equal([records[0]["log_id"]!.GetValue<string>(), records[1]["log_id"]!.GetValue<string>(), records[0]["log_id"]!.GetValue<string>()], ids);
    }

    [Fact]
    public async Task Should_give_duplicates_the_same_message_id_and_an_entry_without_log_id_a_stable_one()
    {
        var record = Auth0Entries.Record("slo");
        var noId = Auth0Entries.Record("s");
        noId.Remove("log_id");
        noId["data"]!.AsObject().Remove("log_id");
        var body = Auth0Entries.JsonArray([record, record, noId]);

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(body)).StatusCode);

        var published = _hub.Recorder.Published;
        Assert.Equal(6, published.Count);
        var duplicateIds = published.Where(p => ((IHubEvent)p.Message).EventId == record["log_id"]!.GetValue<string>()).Select(p => p.MessageId).Distinct();
        Assert.Single(duplicateIds);
        var generated = published.Select(p => (IHubEvent)p.Message).Where(e => e.Name == "auth0.auth.login.success.s").Select(e => e.EventId).Distinct().ToList();
        var id = Assert.Single(generated);
        Assert.StartsWith("sha256-", id, StringComparison.Ordinal);
        var sameEntry = published.Where(p => ((IHubEvent)p.Message).EventId == id).ToList();
        Assert.Equal(2, sameEntry.Count);
        Assert.Single(sameEntry.Select(p => p.MessageId).Distinct());
    }

    [Fact]
    public async Task Should_publish_unknown_codes_and_unusable_records_instead_of_dropping_them()
    {
        var unknown = Auth0Entries.Record("brand_new_code_2027");
        var noData = new JsonObject { ["log_id"] = Auth0Entries.NewLogId() };
        var dataNotObject = new JsonObject { ["log_id"] = Auth0Entries.NewLogId(), ["data"] = "text" };
        var noType = Auth0Entries.Record("f").With("type", null);
        var weirdCode = Auth0Entries.Record("Weird Code/../#*");

        var response = await _hub.PostAuth0Async(Auth0Entries.JsonArray([unknown, noData, dataNotObject, noType, weirdCode]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var unknowns = _hub.Recorder.Messages<Auth0UnknownLogEvent>();
        Assert.Equal(["auth0.other.brand_new_code_2027", "auth0.other.weird_code______"], unknowns.Select(u => u.Name));
        Assert.Equal("other", unknowns[0].Group);
        var unrecognized = _hub.Recorder.Messages<Auth0UnrecognizedEntry>();
        Assert.Equal(["missing_data", "data_not_object", "missing_type"], unrecognized.Select(u => u.Reason));
        Assert.All(unrecognized, u => Assert.Equal("auth0.unrecognized", u.Name));
        Assert.Equal(noData["log_id"]!.GetValue<string>(), unrecognized[0].EventId);
        Assert.Equal(noData.ToJsonString(), unrecognized[0].Payload);
    }

    public static TheoryData<string, string, HttpStatusCode> BadBodies => new()
    {
        { "empty body", "", HttpStatusCode.BadRequest },
        { "whitespace", "  \n ", HttpStatusCode.BadRequest },
        { "truncated array", """[{"log_id":"1","data":{"type":"f" """, HttpStatusCode.BadRequest },
        { "truncated object", """{"log_id":"1","data":{"type":"f" """, HttpStatusCode.BadRequest },
        { "not json", "log_id=1&type=f", HttpStatusCode.BadRequest },
        { "a string", "\"hello\"", HttpStatusCode.BadRequest },
        { "a number", "42", HttpStatusCode.BadRequest },
        { "array of numbers", "[1, 2]", HttpStatusCode.BadRequest },
        { "array of arrays", "[[{\"log_id\":\"1\"}]]", HttpStatusCode.BadRequest },
        { "object then garbage", "{\"log_id\":\"1\",\"data\":{\"type\":\"f\"}} nope", HttpStatusCode.BadRequest },
        { "array then more", "[] []", HttpStatusCode.BadRequest },
        { "trailing comma", "[{\"log_id\":\"1\",\"data\":{\"type\":\"f\"}},]", HttpStatusCode.BadRequest },
        { "nesting deeper than 64", Nested(70), HttpStatusCode.BadRequest },
        { "lines with a bad line", "{\"log_id\":\"1\",\"data\":{\"type\":\"f\"}}\n[1]\n", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Should_reject_a_body_that_is_not_one_of_the_three_shapes_and_publish_nothing(string what, string body, HttpStatusCode expected)
    {
        var response = await _hub.PostAuth0Async(body);

        Assert.True(expected == response.StatusCode, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal("body", problem["field"]!.GetValue<string>());
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_accept_an_empty_array_and_deep_but_legal_nesting()
    {
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async("[]")).StatusCode);
        Assert.Empty(_hub.Recorder.Published);

        var response = await _hub.PostAuth0Async(Nested(50));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_hub.Recorder.Messages<IAuth0LogEvent>());
    }

    [Fact]
    public async Task Should_refuse_more_records_than_a_request_may_carry_and_publish_none()
    {
        var body = "[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]";

        var response = await _hub.PostAuth0Async(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10000", JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_hub.Recorder.Published);
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async("[" + string.Join(',', Enumerable.Repeat("{}", 3)) + "]")).StatusCode);
        Assert.Equal(3, _hub.Recorder.Messages<Auth0UnrecognizedEntry>().Count);
    }

    [Fact]
    public async Task Should_not_take_an_absurdly_long_log_id_as_the_event_id()
    {
        var record = Auth0Entries.Record("f", logId: new string('9', 5000));
        record["data"]!.AsObject().Remove("log_id");

        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(Auth0Entries.JsonArray([record]))).StatusCode);

        var entry = Assert.Single(_hub.Recorder.Messages<IAuth0LogEvent>());
        Assert.StartsWith("sha256-", entry.EventId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_invalid_utf8_naming_the_position()
    {
        var body = Encoding.UTF8.GetBytes("[{\"log_id\":\"1\",\"data\":{\"type\":\"f\",\"user_name\":\"jos\u00e9\"}}]");
        var latin1 = Encoding.Latin1.GetBytes("[{\"log_id\":\"1\",\"data\":{\"type\":\"f\",\"user_name\":\"jos\u00e9\"}}]");
        Assert.NotEqual(body.Length, latin1.Length);

        var response = await _hub.PostAuth0Async(latin1, contentType: "application/json; charset=iso-8859-1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Contains("UTF-8", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Array.IndexOf(latin1, (byte)0xE9), problem["position"]!.GetValue<long>());
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_accept_gzip_and_refuse_oversized_bodies_and_gzip_bombs_with_413()
    {
        var records = Enumerable.Range(0, 20).Select(_ => Auth0Entries.Record("seacft")).ToList();
        var gzipped = Gzip(Encoding.UTF8.GetBytes(Auth0Entries.JsonArray(records)));
        Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(gzipped, contentEncoding: "gzip")).StatusCode);
        Assert.Equal(20, _hub.Recorder.Published.Count);

        var twentyMegabytes = Encoding.UTF8.GetBytes("[" + new string(' ', 20 * 1024 * 1024) + "]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _hub.PostAuth0Async(twentyMegabytes)).StatusCode);

        var bomb = Gzip(Encoding.UTF8.GetBytes("[" + new string(' ', 64 * 1024 * 1024) + "]"));
        Assert.True(bomb.Length < 1024 * 1024, "the bomb is small on the wire");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _hub.PostAuth0Async(bomb, contentEncoding: "gzip")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await _hub.PostAuth0Async(Encoding.UTF8.GetBytes("not gzip at all"), contentEncoding: "gzip")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _hub.PostAuth0Async(Encoding.UTF8.GetBytes("[]"), contentEncoding: "br")).StatusCode);
        Assert.Equal(20, _hub.Recorder.Published.Count);
        Assert.Equal(HttpStatusCode.OK, (await _hub.Http.GetAsync("/health/live", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-token")]
    [InlineData("test-auth0-token-but-longer")]
    public async Task Should_answer_401_to_a_missing_or_wrong_token_before_reading_the_body(string? token)
    {
        var response = await _hub.PostAuth0Async(Auth0Entries.JsonArray([Auth0Entries.Record("f")]), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_hub.Recorder.Published);
    }

    [Fact]
    public async Task Should_accept_the_bare_token_and_every_token_of_a_rotation()
    {
        await using var hub = new EmbeddedHub(new() { ["EventHub:Auth0:Tokens:1"] = "next-token" });
        using var bare = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent("[]") };
        bare.Headers.TryAddWithoutValidation("Authorization", HubSettings.Auth0Token);

        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(bare, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.PostAuth0Async("[]", "next-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.PostAuth0Async("[]", "previous-token")).StatusCode);
    }

    [Fact]
    public async Task Should_map_every_entry_of_every_real_fixture_in_all_three_formats()
    {
        var files = SharedCorpus.Auth0FixtureFiles();
        if (files.Count == 0)
            Assert.Skip("../shared/fixtures/auth0 not found: the real Auth0 payloads were not checked on this machine.");

        foreach (var file in files)
        {
            var records = JsonNode.Parse(await File.ReadAllTextAsync(file, Cancel))!.AsArray().Select(r => r!.AsObject()).ToList();
            var bodies = new[]
            {
                (Format: "array", Body: await File.ReadAllTextAsync(file, Cancel)),
                (Format: "lines", Body: Auth0Entries.JsonLines(records)),
            };
            foreach (var (format, body) in bodies)
            {
                var before = _hub.Recorder.Published.Count;
                var response = await _hub.PostAuth0Async(body);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{Path.GetFileName(file)} as {format}: {response.StatusCode}");
                // The security module answers some of these entries with alerts of its own, published as they are consumed.
                var published = _hub.Recorder.Published.Skip(before).Select(p => p.Message).Where(m => m is not ISecurityAlert).Cast<IHubEvent>().ToList();
                Assert.Equal(records.Count, published.Count);
                for (var i = 0; i < records.Count; i++)
                    AssertMapped(records[i], published[i], $"{Path.GetFileName(file)}[{i}] as {format}");
            }

            foreach (var record in records)
            {
                var before = _hub.Recorder.Published.Count;
                Assert.Equal(HttpStatusCode.OK, (await _hub.PostAuth0Async(record.ToJsonString())).StatusCode);
                AssertMapped(record, _hub.Recorder.Published.Skip(before).Select(p => p.Message).OfType<IAuth0LogEvent>().First(), $"{Path.GetFileName(file)} single object");
            }
        }
    }

    static void AssertMapped(JsonObject record, IHubEvent published, string where)
    {
        var code = record["data"]?["type"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(code), $"{where}: fixture entries all have a type");
        var expectedId = record["log_id"]?.GetValue<string>() ?? record["data"]?["log_id"]?.GetValue<string>();
        if (expectedId is not null)
            Assert.Equal(expectedId, published.EventId);
        else
            Assert.StartsWith("sha256-", published.EventId, StringComparison.Ordinal);

        var entry = Assert.IsAssignableFrom<IAuth0LogEvent>(published);
        Assert.Equal(code, entry.Type);
        if (Auth0LogTypes.TryGet(code!, out var type))
        {
            Assert.IsType(type.ContractType, published);
            Assert.Equal($"auth0.{type.Group}.{code}", published.Name);
        }
        else
        {
            Assert.IsType<Auth0UnknownLogEvent>(published);
        }

        Assert.Equal(record["data"]!.ToJsonString(), JsonNode.Parse(published.Payload)!.ToJsonString());
        Assert.NotEqual(default, published.OccurredAt);
        if (record["data"]?["date"] is not null)
            Assert.NotEqual(published.ReceivedAt, published.OccurredAt);
    }

    static string Nested(int depth)
    {
        var inner = new StringBuilder();
        for (var i = 0; i < depth - 3; i++)
            inner.Append("{\"a\":");
        inner.Append('1');
        inner.Append('}', depth - 3);
        return $"{{\"log_id\":\"nested-{depth}\",\"data\":{{\"type\":\"f\",\"details\":{inner}}}}}";
    }

    static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
