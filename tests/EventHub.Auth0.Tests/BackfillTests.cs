using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventHub.Auth0.Backfill;
using EventHub.Auth0.LogStream;
using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.TestSupport;

namespace EventHub.Auth0.Tests;

/// <summary>The pure parts of the backfill: links, rate-limit waits, checkpoints from times, settings, and the mapping of pulled entries.</summary>
public sealed class BackfillTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("<https://example.eu.auth0.com/api/v2/logs?from=900123&take=100>; rel=\"next\"", "api/v2/logs?from=900123&take=100")]
    [InlineData("<https://example.eu.auth0.com/api/v2/logs?from=1&take=5>; rel=\"prev\", <https://example.eu.auth0.com/api/v2/logs?from=2&take=5>; rel=next", "api/v2/logs?from=2&take=5")]
    [InlineData("<https://elsewhere.example.com/api/v2/logs?from=7&take=100>; rel=\"next\"", "api/v2/logs?from=7&take=100")]
    [InlineData("<https://example.eu.auth0.com/api/v2/logs?from=1>; rel=\"prev\"", null)]
    [InlineData("garbage", null)]
    public void Should_follow_only_the_next_link_and_keep_only_its_path_and_query(string header, string? expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", header);

        Assert.Equal(expected, LinkHeader.NextPathAndQuery(response.Headers));
    }

    [Fact]
    public void Should_wait_until_the_rate_limit_resets_before_honouring_retry_after()
    {
        using var both = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        both.Headers.TryAddWithoutValidation("X-RateLimit-Reset", Now.AddSeconds(7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        both.Headers.TryAddWithoutValidation("Retry-After", "30");
        using var retryAfter = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        retryAfter.Headers.TryAddWithoutValidation("Retry-After", "3");
        using var far = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        far.Headers.TryAddWithoutValidation("X-RateLimit-Reset", Now.AddHours(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var bare = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var serverError = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        serverError.Headers.TryAddWithoutValidation("Retry-After", "3");

        Assert.Equal(TimeSpan.FromSeconds(7), RateLimitDelay.For(both, Now));
        Assert.Equal(TimeSpan.FromSeconds(3), RateLimitDelay.For(retryAfter, Now));
        Assert.Equal(RateLimitDelay.Longest, RateLimitDelay.For(far, Now));
        Assert.Null(RateLimitDelay.For(bare, Now));
        Assert.Null(RateLimitDelay.For(serverError, Now));
    }

    [Fact]
    public void Should_turn_a_time_into_a_log_id_that_sorts_before_everything_logged_from_then_on()
    {
        var checkpoint = LogIds.FromTime(new DateTimeOffset(2026, 11, 20, 10, 15, 30, TimeSpan.FromHours(1)));

        Assert.Equal("90020261120091530" + new string('0', 39), checkpoint);
        Assert.True(string.CompareOrdinal(checkpoint, FakeAuth0.LogId(new DateTimeOffset(2026, 11, 20, 9, 15, 30, TimeSpan.Zero), 1)) < 0);
        Assert.True(string.CompareOrdinal(checkpoint, FakeAuth0.LogId(new DateTimeOffset(2026, 11, 20, 9, 15, 29, TimeSpan.Zero), 999)) > 0);
        Assert.True(LogIds.IsValid("90020211103030609732115389415260839021644201259064885298"));
        Assert.False(LogIds.IsValid("9002&take=1"));
    }

    public static TheoryData<string?, string?, string?, string?, string> BadSettings => new()
    {
        { null, "id", "secret", null, "EventHub__Auth0__Domain is required" },
        { "example.eu.auth0.com/api", "id", "secret", null, "EventHub__Auth0__Domain 'example.eu.auth0.com/api' is not valid" },
        { "localhost", "id", "secret", null, "EventHub__Auth0__Domain 'localhost' is not valid" },
        { "example.eu.auth0.com", null, "secret", null, "EventHub__Auth0__ClientId is required" },
        { "example.eu.auth0.com", "id", " ", null, "EventHub__Auth0__ClientSecret is required" },
        { "example.eu.auth0.com", "id", "secret", "http://10.0.0.5:8080/", "EventHub__Auth0__Backfill__BaseAddress" },
        { "example.eu.auth0.com", "id", "secret", "/relative", "EventHub__Auth0__Backfill__BaseAddress" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Should_name_the_setting_that_stops_backfill(string? domain, string? clientId, string? secret, string? baseAddress, string expected)
    {
        var options = new Auth0Options { Domain = domain, ClientId = clientId, ClientSecret = secret, Backfill = new BackfillOptions { BaseAddress = baseAddress } };

        Assert.Contains(BackfillOptionsValidator.Validate(options, BackfillMode.Gaps), failure => failure.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_accept_https_and_loopback_http_and_need_nothing_when_off()
    {
        var https = new Auth0Options { Domain = "example.eu.auth0.com", ClientId = "id", ClientSecret = "secret", Backfill = new BackfillOptions() };
        var loopback = new Auth0Options { Domain = "example.eu.auth0.com", ClientId = "id", ClientSecret = "secret", Backfill = new BackfillOptions { BaseAddress = "http://127.0.0.1:5099" } };

        Assert.Empty(BackfillOptionsValidator.Validate(https, BackfillMode.Poll));
        Assert.Empty(BackfillOptionsValidator.Validate(loopback, BackfillMode.Gaps));
        Assert.Empty(BackfillOptionsValidator.Validate(new Auth0Options(), BackfillMode.Off));
        Assert.Equal(new Uri("https://example.eu.auth0.com/"), BackfillSettings.BaseAddress(https));
        Assert.Equal(new Uri("http://127.0.0.1:5099/"), BackfillSettings.BaseAddress(loopback));
        Assert.Equal("https://example.eu.auth0.com/api/v2/", BackfillSettings.Audience(loopback));
        Assert.Equal("example", BackfillSettings.Tenant(https));
    }

    [Fact]
    public void Should_map_a_pulled_entry_exactly_as_the_log_stream_delivery_of_it()
    {
        var records = new[] { Auth0Entries.Record("f", "900201"), Auth0Entries.Record("pwd_leak", "900203"), Auth0Entries.Record("not_a_known_code", "900202") };
        var page = Encoding.UTF8.GetBytes(new JsonArray([.. records.Select(r => r["data"]!.DeepClone())]).ToJsonString());
        var stream = Encoding.UTF8.GetBytes(Auth0Entries.JsonArray(records));
        var received = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

        var (pulled, lastLogId) = ManagementLogs.Map(page, received);
        var streamed = LogStreamParser.Parse(stream).Select(fields => Auth0LogMapper.Map(fields, stream, received)).ToList();

        Assert.Equal(streamed.Count, pulled.Count);
        for (var i = 0; i < pulled.Count; i++)
        {
            Assert.Equal(streamed[i].GetType(), pulled[i].GetType());
            Assert.Equal(streamed[i].EventId, pulled[i].EventId);
            Assert.Equal(streamed[i].Name, pulled[i].Name);
            Assert.Equal(streamed[i].Source, pulled[i].Source);
            Assert.Equal(JsonNode.Parse(((IAuth0LogEvent)streamed[i]).Payload)!.ToJsonString(), JsonNode.Parse(((IAuth0LogEvent)pulled[i]).Payload)!.ToJsonString());
        }

        Assert.Equal(records.Select(r => r["log_id"]!.GetValue<string>()).Max(StringComparer.Ordinal), lastLogId);
        Assert.Empty(ManagementLogs.Map("[]"u8.ToArray(), received).Events);
        Assert.Throws<ManagementApiException>(() => ManagementLogs.Map("""{"logs": []}"""u8.ToArray(), received));
    }
}
