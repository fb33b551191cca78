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

    [Theory]
    [InlineData("#", "auth0.#", true)]
    [InlineData("order.#", "order.*", true)]
    [InlineData("order.*", "order.placed", true)]
    [InlineData("order.#", "order", true)]
    [InlineData("*.#", "a.b.c", true)]
    [InlineData("order.*", "order.#", false)]
    [InlineData("order.*", "order", false)]
    [InlineData("order.*", "invoice.*", false)]
    [InlineData("order.placed", "order.*", false)]
    [InlineData("a.#.z", "a.#", false)]
    public void Should_say_whether_every_name_of_the_other_pattern_matches_this_one(string outer, string inner, bool covers) =>
        Assert.Equal(covers, TopicPattern.Parse(outer)!.Covers(TopicPattern.Parse(inner)!));

    [Theory]
    [InlineData("#", "auth0.#", true)]
    [InlineData("*.login", "auth0.#", true)]
    [InlineData("auth0", "auth0.#", true)]
    [InlineData("*", "security.#", true)]
    [InlineData("order.#", "auth0.#", false)]
    [InlineData("a.*.c", "a.b.#", true)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("#.x", "y.#", true)]
    public void Should_say_whether_some_name_matches_both_patterns(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, TopicPattern.Parse(a)!.Overlaps(TopicPattern.Parse(b)!));
        Assert.Equal(overlap, TopicPattern.Parse(b)!.Overlaps(TopicPattern.Parse(a)!));
    }

    [Fact]
    public void Should_compare_patterns_of_many_hashes_without_blowing_up()
    {
        var many = TopicPattern.Parse(string.Join('.', Enumerable.Repeat("#.a", 60)))!;
        var other = TopicPattern.Parse(string.Join('.', Enumerable.Repeat("a.#", 60)) + ".b")!;

        Assert.False(many.Covers(other));
        Assert.False(other.Overlaps(many));
    }
}
