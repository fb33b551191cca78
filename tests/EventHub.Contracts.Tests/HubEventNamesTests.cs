namespace EventHub.Contracts.Tests;

public sealed class HubEventNamesTests
{
    [Fact]
    public void Should_name_the_topic_exchange_eventhub_events() =>
        Assert.Equal("eventhub.events", HubEventNames.Exchange);
}
