using EventHub.TestSupport;

namespace EventHub.Contracts.Tests;

public sealed class TopicPatternTests
{
    public static TheoryData<string, string, bool> Cases => [.. TopicPatternCases.All];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_match_like_a_rabbitmq_topic_binding(string pattern, string name, bool matches) =>
        Assert.Equal(matches, TopicPattern.Parse(pattern)!.Matches(name));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("order..placed", "empty word")]
    [InlineData(".order", "empty word")]
    [InlineData("order.", "empty word")]
    [InlineData("Order.*", "invalid word")]
    [InlineData("order.pl*", "invalid word")]
    [InlineData("order.#x", "invalid word")]
    [InlineData("order placed", "invalid word")]
    public void Should_refuse_what_is_not_a_pattern_and_say_why(string text, string reason)
    {
        Assert.False(TopicPattern.TryParse(text, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_pattern_longer_than_a_routing_key() =>
        Assert.False(TopicPattern.TryParse(new string('a', 256), out _, out _));

    [Fact]
    public void Should_match_many_hashes_against_a_long_name_without_blowing_up()
    {
        var pattern = TopicPattern.Parse(string.Join('.', Enumerable.Repeat("#", 100)) + ".z")!;
        var name = string.Join('.', Enumerable.Repeat("a", 120));

        Assert.False(pattern.Matches(name));
        Assert.True(pattern.Matches(name + ".z"));
    }

    [Theory]
    [InlineData("order.*", "order.")]
    [InlineData("order.placed", "order.placed")]
    [InlineData("#", "")]
    [InlineData("a.b.#.c", "a.b.")]
    public void Should_give_the_literal_prefix_before_the_first_wildcard(string pattern, string prefix) =>
        Assert.Equal(prefix, TopicPattern.Parse(pattern)!.LiteralPrefix);
}
