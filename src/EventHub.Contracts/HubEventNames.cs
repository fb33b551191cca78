namespace EventHub.Contracts;

/// <summary>Names shared by every producer and consumer of hub events.</summary>
public static class HubEventNames
{
    /// <summary>The durable topic exchange every hub event is published to, routed by event name.</summary>
    public const string Exchange = "eventhub.events";

    /// <summary>
    /// The durable topic exchange of <see cref="HubEventBatch"/>es, which the hub's own consumers read (docs/adr/0031),
    /// routed by <see cref="HubEventBatch.RoutingKey"/>.
    /// </summary>
    public const string Batches = "eventhub.batches";

    /// <summary>
    /// Header of an event published on <see cref="Exchange"/> whose <see cref="HubEventBatch"/> was published too: a
    /// consumer that reads the batches skips it when a previous release's binding brings it as well.
    /// </summary>
    public const string InBatchHeader = "EventHub-InBatch";
}
