using System.Text.Json;
using EventHub.Listeners.Filters;

namespace EventHub.Listeners.Tests;

public sealed class PayloadFilterTests
{
    const string Payload = """
        {"connection": "google-oauth2", "ip": "203.0.113.7", "ip6": "2001:db8::42", "mapped": "::ffff:203.0.113.9",
         "amount": 120.5, "count": 3, "nothing": null, "flag": true, "at": "2026-11-24T10:00:00Z",
         "user_name": "ada@example.com", "tags": ["vip", "eu"], "items": [{"sku": "A-1"}, {"sku": "B-2"}],
         "details": {"request": {"method": "POST"}}}
        """;

    static readonly DateTimeOffset Time = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("""{"payload.connection": "google-oauth2"}""", true)]
    [InlineData("""{"payload.connection": {"$eq": "auth0"}}""", false)]
    [InlineData("""{"payload.count": {"$eq": 3.0}}""", true)]
    [InlineData("""{"payload.nothing": null}""", true)]
    [InlineData("""{"payload.missing": null}""", false)]
    [InlineData("""{"payload.details": {"request": {"method": "POST"}}}""", true)]
    [InlineData("""{"payload.connection": {"$ne": "auth0"}}""", true)]
    [InlineData("""{"payload.connection": {"$ne": "google-oauth2"}}""", false)]
    [InlineData("""{"payload.missing": {"$ne": "x"}}""", true)]
    [InlineData("""{"payload.connection": {"$in": ["github", "google-oauth2"]}}""", true)]
    [InlineData("""{"payload.connection": {"$in": ["github"]}}""", false)]
    [InlineData("""{"payload.missing": {"$in": ["github"]}}""", false)]
    [InlineData("""{"payload.connection": {"$nin": ["github"]}}""", true)]
    [InlineData("""{"payload.connection": {"$nin": ["google-oauth2"]}}""", false)]
    [InlineData("""{"payload.nothing": {"$exists": true}}""", true)]
    [InlineData("""{"payload.missing": {"$exists": true}}""", false)]
    [InlineData("""{"payload.missing": {"$exists": false}}""", true)]
    [InlineData("""{"payload.amount": {"$gt": 100}}""", true)]
    [InlineData("""{"payload.amount": {"$gt": 120.5}}""", false)]
    [InlineData("""{"payload.amount": {"$gte": 120.5}}""", true)]
    [InlineData("""{"payload.amount": {"$lt": 120.5}}""", false)]
    [InlineData("""{"payload.amount": {"$lte": 120.5}}""", true)]
    [InlineData("""{"payload.connection": {"$gt": 1}}""", false)]
    [InlineData("""{"payload.missing": {"$lt": 1}}""", false)]
    [InlineData("""{"payload.at": {"$gte": "2026-11-24T00:00:00Z", "$lt": "2026-11-25T00:00:00Z"}}""", true)]
    [InlineData("""{"payload.at": {"$gt": "2026-11-24T10:00:00+01:00"}}""", true)]
    [InlineData("""{"time": {"$lt": "2026-11-24T09:00:00Z"}}""", false)]
    [InlineData("""{"time": {"$gte": "2026-11-24T09:30:00Z"}}""", true)]
    [InlineData("""{"payload.connection": {"$prefix": "google"}}""", true)]
    [InlineData("""{"payload.connection": {"$prefix": "Google"}}""", false)]
    [InlineData("""{"payload.connection": {"$suffix": "oauth2"}}""", true)]
    [InlineData("""{"payload.count": {"$suffix": "3"}}""", false)]
    [InlineData("""{"payload.user_name": {"$contains": "@example."}}""", true)]
    [InlineData("""{"payload.tags": {"$contains": "vip"}}""", true)]
    [InlineData("""{"payload.tags": {"$contains": "us"}}""", false)]
    [InlineData("""{"payload.ip": {"$cidr": "203.0.113.0/24"}}""", true)]
    [InlineData("""{"payload.ip": {"$cidr": "198.51.100.0/24"}}""", false)]
    [InlineData("""{"payload.ip": {"$cidr": ["198.51.100.0/24", "203.0.113.0/28"]}}""", true)]
    [InlineData("""{"payload.ip6": {"$cidr": "2001:db8::/32"}}""", true)]
    [InlineData("""{"payload.ip6": {"$cidr": "2001:db9::/32"}}""", false)]
    [InlineData("""{"payload.ip6": {"$cidr": "203.0.113.0/24"}}""", false)]
    [InlineData("""{"payload.mapped": {"$cidr": "203.0.113.0/24"}}""", true)]
    [InlineData("""{"payload.connection": {"$cidr": "203.0.113.0/24"}}""", false)]
    [InlineData("""{"payload.missing": {"$cidr": "0.0.0.0/0"}}""", false)]
    [InlineData("""{"payload.items.1.sku": "B-2"}""", true)]
    [InlineData("""{"payload.items.2.sku": {"$exists": false}}""", true)]
    [InlineData("""{"payload.details.request.method": "POST"}""", true)]
    [InlineData("""{"name": {"$prefix": "auth0."}, "source": "auth0"}""", true)]
    [InlineData("""{"id": "evt_1"}""", true)]
    [InlineData("""{"$and": [{"payload.flag": true}, {"payload.count": 3}]}""", true)]
    [InlineData("""{"$and": [{"payload.flag": true}, {"payload.count": 4}]}""", false)]
    [InlineData("""{"$or": [{"payload.count": 4}, {"payload.connection": "google-oauth2"}]}""", true)]
    [InlineData("""{"$or": [{"payload.count": 4}, {"payload.connection": "auth0"}]}""", false)]
    [InlineData("""{"$not": {"payload.connection": "auth0"}}""", true)]
    [InlineData("""{"$not": {"payload.connection": "google-oauth2"}}""", false)]
    [InlineData("""{"payload.ip": {"$not": {"$cidr": "10.0.0.0/8"}}}""", true)]
    [InlineData("""{"payload.connection": {"$in": ["google-oauth2"]}, "payload.ip": {"$cidr": "203.0.113.0/24"}}""", true)]
    [InlineData("""{"payload.connection": {"$in": ["google-oauth2"]}, "payload.ip": {"$cidr": "10.0.0.0/8"}}""", false)]
    [InlineData("""{}""", true)]
    public void Should_match_each_operator_as_documented(string filter, bool matches)
    {
        var (result, reason) = Parse(filter).Match("evt_1", "auth0.s", "auth0", Time, Payload);

        Assert.Equal(matches, result);
        Assert.Equal(matches, reason is null);
    }

    [Fact]
    public void Should_say_which_condition_failed_and_that_a_path_is_missing()
    {
        var filter = Parse("""{"payload.connection": "google-oauth2", "payload.ip": {"$cidr": "10.0.0.0/8"}, "payload.missing": 1}""");

        var (_, reason) = filter.Match("evt_1", "auth0.s", "auth0", Time, Payload);
        var (_, missing) = Parse("""{"payload.strategy": {"$in": ["x"]}}""").Match("evt_1", "auth0.s", "auth0", Time, Payload);

        Assert.Equal("payload.ip does not satisfy $cidr 10.0.0.0/8", reason);
        Assert.Equal("payload.strategy is missing", missing);
    }

    [Theory]
    [InlineData("""{"payload.ip": {"$cidr": "203.0.113.7/24"}}""", "filter.payload.ip.$cidr")]
    [InlineData("""{"payload.ip": {"$cidr": "not-a-network"}}""", "filter.payload.ip.$cidr")]
    [InlineData("""{"payload.ip": {"$cidr": "203.0.113.7"}}""", "filter.payload.ip.$cidr")]
    [InlineData("""{"payload.ip": {"$cidr": "2001:db8::/129"}}""", "filter.payload.ip.$cidr")]
    [InlineData("""{"payload.count": {"$gt": "soon"}}""", "filter.payload.count.$gt")]
    [InlineData("""{"payload.count": {"$gt": 1e400}}""", "filter.payload.count.$gt")]
    [InlineData("""{"payload.x": {"$in": "a"}}""", "filter.payload.x.$in")]
    [InlineData("""{"payload.x": {"$nin": []}}""", "filter.payload.x.$nin")]
    [InlineData("""{"payload.x": {"$exists": 1}}""", "filter.payload.x.$exists")]
    [InlineData("""{"payload.x": {"$prefix": ""}}""", "filter.payload.x.$prefix")]
    [InlineData("""{"payload.x": {"$regex": "a.*"}}""", "filter.payload.x.$regex")]
    [InlineData("""{"payload.x": {"$eq": 1, "y": 2}}""", "filter.payload.x.y")]
    [InlineData("""{"payload.x": {"$not": 3}}""", "filter.payload.x.$not")]
    [InlineData("""{"$and": {}}""", "filter.$and")]
    [InlineData("""{"$or": [{"payload.x": {"$gt": "x"}}]}""", "filter.$or[0].payload.x.$gt")]
    [InlineData("""{"$nor": []}""", "filter.$nor")]
    [InlineData("""{"body.x": 1}""", "filter.body.x")]
    [InlineData("""{"name.x": 1}""", "filter.name.x")]
    [InlineData("""{"payload..x": 1}""", "filter.payload..x")]
    [InlineData("""["payload.x"]""", "filter")]
    public void Should_refuse_a_bad_filter_naming_the_path_and_the_operator(string filter, string field)
    {
        using var document = JsonDocument.Parse(filter);
        var errors = new Dictionary<string, string[]>();

        var parsed = PayloadFilter.Parse(document.RootElement, "filter", errors);

        Assert.Null(parsed);
        Assert.Equal(field, Assert.Single(errors).Key);
    }

    [Fact]
    public void Should_refuse_a_filter_with_more_conditions_than_the_limit()
    {
        var filter = "{" + string.Join(", ", Enumerable.Range(0, PayloadFilter.MaxConditions + 1).Select(i => $"\"payload.f{i}\": {i}")) + "}";
        using var document = JsonDocument.Parse(filter);
        var errors = new Dictionary<string, string[]>();

        Assert.Null(PayloadFilter.Parse(document.RootElement, "filter", errors));
        Assert.Equal("filter", Assert.Single(errors).Key);
    }

    [Fact]
    public void Should_keep_the_filter_as_given_and_read_it_back_the_same()
    {
        var filter = Parse("""{"payload.ip": {"$cidr": "2001:db8::/32"}}""");

        Assert.Equal("""{"payload.ip": {"$cidr": "2001:db8::/32"}}""", filter.Json);
        Assert.True(PayloadFilter.FromStored(filter.Json).Match("e", "n", "s", Time, """{"ip": "2001:db8::1"}""").Matches);
    }

    static PayloadFilter Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        var filter = PayloadFilter.Parse(document.RootElement, "filter", errors);
        Assert.Empty(errors);
        return filter!;
    }
}
