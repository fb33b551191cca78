namespace EventHub.Contracts.Tests;

public sealed class EventNameTests
{
    [Theory]
    [InlineData("order.placed")]
    [InlineData("a")]
    [InlineData("order-v2.placed_eu.1")]
    [InlineData("auth0.auth.login.fail.f")]
    public void Should_accept_lowercase_dotted_words(string name) => Assert.True(EventName.IsValid(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Order.placed")]
    [InlineData("order..placed")]
    [InlineData(".order")]
    [InlineData("order.")]
    [InlineData("order placed")]
    [InlineData("order.*")]
    [InlineData("order.#")]
    [InlineData("ordér")]
    public void Should_refuse_anything_else(string? name) => Assert.False(EventName.IsValid(name));

    [Fact]
    public void Should_allow_255_characters_and_no_more()
    {
        Assert.True(EventName.IsValid(new string('a', 255)));
        Assert.False(EventName.IsValid(new string('a', 256)));
    }
}
