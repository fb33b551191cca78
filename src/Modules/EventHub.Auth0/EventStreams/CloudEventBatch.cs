namespace EventHub.Auth0.EventStreams;

/// <summary>What an Event Streams body parsed into: the events, or the problems by field (<c>[2].id</c>) when any is wrong.</summary>
internal sealed record CloudEventBatch(IReadOnlyList<CloudEvent> Events, IReadOnlyDictionary<string, string[]> Errors, bool TooMany = false)
{
    public bool IsValid => Errors.Count == 0;
}
