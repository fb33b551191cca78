namespace EventHub.Storage.Tests;

/// <summary>Text from outside, made storable: NUL and lone surrogates replaced, everything else kept as it was.</summary>
public sealed class StorableTextTests
{
    // In code, not in attributes: an attribute's strings are stored as UTF-8, which cannot hold a lone surrogate.
    public static TheoryData<string, string> Texts => new()
    {
        { "a\0b", "a\uFFFDb" },
        { "lone high \ud800 and low \udc00", "lone high \uFFFD and low \uFFFD" },
        { "high at the end \ud83d", "high at the end \uFFFD" },
        { "pair \ud83d\ude00 kept", "pair \ud83d\ude00 kept" },
        { "\ud83d\ud83d\ude00", "\uFFFD\ud83d\ude00" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Should_replace_only_what_no_database_stores(string text, string stored) =>
        Assert.Equal(stored, StorableText.From(text));

    [Fact]
    public void Should_hand_back_clean_text_and_null_as_they_are()
    {
        var clean = "plain text, \t tabs and \u00e9, \ud83d\ude00";

        Assert.Same(clean, StorableText.From(clean));
        Assert.Null(StorableText.From(null));
    }
}
