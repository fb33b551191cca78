using System.Text.Json;
using EventHub.Listeners.Registry;

namespace EventHub.Listeners.Tests;

public sealed class RegistrationParserTests
{
    static readonly ListenersOptions Options = new();

    [Fact]
    public void Should_fill_in_the_default_schedule_timeout_and_deduplicate_patterns()
    {
        var (registration, errors) = Parse("""{"name":"n","events":["a.*","a.*","b.#"],"delivery":{"type":"webhook","url":"https://example.com/h"}}""");

        Assert.Empty(errors);
        Assert.Equal(["a.*", "b.#"], registration!.Patterns);
        Assert.Equal(RegistrationParser.DefaultScheduleSeconds, registration.RetryScheduleSeconds);
        Assert.Equal(15, registration.TimeoutSeconds);
        Assert.Null(registration.Secret);
        Assert.Equal("||n", registration.Key);
    }

    [Theory]
    [InlineData("""{"schedule":["5s","30s","2m","1h"]}""", new[] { 5, 30, 120, 3600 })]
    [InlineData("""{"schedule":[0, 10]}""", new[] { 0, 10 })]
    [InlineData("""{"maxAttempts":1}""", new int[0])]
    [InlineData("""{"maxAttempts":3}""", new[] { 0, 5 })]
    [InlineData("""{"maxAttempts":9}""", new[] { 0, 5, 30, 120, 600, 3600, 3600, 3600 })]
    public void Should_read_a_schedule_or_a_number_of_attempts(string retry, int[] seconds)
    {
        var (registration, errors) = Parse($$"""{"name":"n","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h"},"retry":{{retry}}}""");

        Assert.Empty(errors);
        Assert.Equal(seconds, registration!.RetryScheduleSeconds);
        Assert.Equal(seconds.Length + 1, new Listener("i", "k", "n", null, null, [], "webhook", null, "s", 1, registration.RetryScheduleSeconds, "active", 1).MaxAttempts);
    }

    [Fact]
    public void Should_key_a_listener_by_platform_label_and_name()
    {
        var (a, _) = Parse("""{"name":"n","platform":"p","label":"l","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h"}}""");
        var (b, _) = Parse("""{"name":"n","platform":"p","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h"}}""");

        Assert.Equal("p|l|n", a!.Key);
        Assert.NotEqual(a.Key, b!.Key);
    }

    [Theory]
    [InlineData("""{"name":"n","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h"},"filtr":{}}""", "filtr")]
    [InlineData("""{"name":"n","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h","timeout":5}}""", "delivery.timeout")]
    [InlineData("""{"name":"n","events":["a.*"],"delivery":{"type":"webhook","url":"https://example.com/h"},"retry":{"maxAttempts":2,"backoff":"exp"}}""", "retry.backoff")]
    public void Should_refuse_a_field_it_does_not_know_naming_it(string json, string field)
    {
        var (registration, errors) = Parse(json);

        Assert.Null(registration);
        Assert.StartsWith("is not a field of this request", Assert.Single(errors, e => e.Key == field).Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_a_valid_filter_and_name_the_path_and_operator_of_a_bad_one()
    {
        var (registration, _) = Parse("""{"name":"n","events":["a.*"],"delivery":{"type":"pull"},"filter":{"payload.ip":{"$cidr":"203.0.113.0/24"}}}""");
        var (refused, errors) = Parse("""{"name":"n","events":["a.*"],"delivery":{"type":"pull"},"filter":{"payload.ip":{"$cidr":"203.0.113.0/33"}}}""");

        Assert.Equal("""{"payload.ip":{"$cidr":"203.0.113.0/24"}}""", registration!.Filter!.Json);
        Assert.Null(refused);
        Assert.Contains("$cidr on payload.ip", Assert.Single(errors, e => e.Key == "filter.payload.ip.$cidr").Value[0], StringComparison.Ordinal);
    }

    static (ListenerRegistration? Registration, Dictionary<string, string[]> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return RegistrationParser.Parse(document.RootElement, Options);
    }
}
