namespace EventHub.Contracts;

/// <summary>Names shared by every producer and consumer of hub events.</summary>
public static class HubEventNames
{
    /// <summary>The durable topic exchange every hub event is published to, routed by event name.</summary>
    public const string Exchange = "eventhub.events";
}
