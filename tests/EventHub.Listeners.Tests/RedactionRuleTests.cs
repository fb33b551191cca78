using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Listeners.Redaction;

namespace EventHub.Listeners.Tests;

public sealed class RedactionRuleTests
{
    static string Hash(string text) => $"hmac:{text.Length}";

    [Fact]
    public void Should_mask_the_values_at_the_given_paths_and_leave_the_rest()
    {
        var rule = Parse("""{"paths": ["payload.ip", "payload.details.user_name", "payload.list.1", "payload.missing.x"]}""");

        var redacted = JsonNode.Parse(rule.Apply("""{"ip": "203.0.113.7", "details": {"user_name": "ada", "n": 1}, "list": [1, {"a": 2}], "keep": "me"}""", Hash))!;

        Assert.Equal(RedactionRule.Masked, redacted["ip"]!.GetValue<string>());
        Assert.Equal(RedactionRule.Masked, redacted["details"]!["user_name"]!.GetValue<string>());
        Assert.Equal(1, redacted["details"]!["n"]!.GetValue<int>());
        Assert.Equal(RedactionRule.Masked, redacted["list"]![1]!.GetValue<string>());
        Assert.Equal("me", redacted["keep"]!.GetValue<string>());
    }

    [Fact]
    public void Should_hash_equal_values_to_equal_tokens()
    {
        var rule = Parse("""{"paths": ["payload.a", "payload.b"], "mode": "hash"}""");

        var redacted = JsonNode.Parse(rule.Apply("""{"a": "same", "b": "same"}""", t => "hmac:" + t.GetHashCode(StringComparison.Ordinal)))!;

        Assert.StartsWith("hmac:", redacted["a"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(redacted["a"]!.GetValue<string>(), redacted["b"]!.GetValue<string>());
    }

    [Fact]
    public void Should_hide_auth0_personal_data_by_property_and_by_shape_anywhere_keeping_times_and_ids()
    {
        var rule = Parse("""{"preset": "auth0-pii"}""");
        const string Entry = """
            {"date": "2023-07-26 13:11:18.123456789", "type": "s", "ip": "81.2.69.143", "user_agent": "Mozilla/5.0", "user_name": "neo@test.com",
             "description": "Login by neo.theone@gmail.com from 12.12.12.12 and 2001:db8::7", "client_id": "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB",
             "details": {"request": {"ip": "::ffff:10.0.0.1", "body": {"phone_number": 15551234567}}, "prompts": [{"name": "homer@yourcompany.io", "at": "13:11:18"}]}}
            """;

        var redacted = rule.Apply(Entry, Hash);
        var node = JsonNode.Parse(redacted)!;

        Assert.DoesNotContain("@", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("81.2.69.143", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("12.12.12.12", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("2001:db8", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.1", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("15551234567", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Mozilla", redacted, StringComparison.Ordinal);
        Assert.Equal("2023-07-26 13:11:18.123456789", node["date"]!.GetValue<string>());
        Assert.Equal("13:11:18", node["details"]!["prompts"]![0]!["at"]!.GetValue<string>());
        Assert.Equal("aI61p8I8aFjmYRliLWgvM9ev97kCCNDB", node["client_id"]!.GetValue<string>());
        Assert.StartsWith("Login by [redacted] from [redacted]", node["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"paths": ["ip"]}""", "redact.paths[0]")]
    [InlineData("""{"paths": "payload.ip"}""", "redact.paths")]
    [InlineData("""{"preset": "gdpr"}""", "redact.preset")]
    [InlineData("""{"preset": "auth0-pii", "mode": "encrypt"}""", "redact.mode")]
    [InlineData("""{"preset": "auth0-pii", "salt": "x"}""", "redact.salt")]
    [InlineData("""{}""", "redact")]
    [InlineData("""["payload.ip"]""", "redact")]
    public void Should_refuse_a_bad_rule_naming_the_field(string json, string field)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();

        Assert.Null(RedactionRule.Parse(document.RootElement, "redact", errors));
        Assert.Equal(field, Assert.Single(errors).Key);
    }

    static RedactionRule Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        var rule = RedactionRule.Parse(document.RootElement, "redact", errors);
        Assert.Empty(errors);
        return rule!;
    }
}
