using System.Text.Json;

namespace EventHub.Client;

/// <summary>An event as the hub delivers or lists it; the payload as JSON exactly as it was emitted.</summary>
public class HubEvent
{
    /// <summary>The event's id, unique in the hub; handlers de-duplicate on it (delivery is at least once).</summary>
    public required string Id { get; init; }

    /// <summary>Lowercase dotted name, e.g. <c>order.placed</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Who emitted it: an API key's name, or <c>auth0:&lt;tenant&gt;</c>.</summary>
    public required string Source { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>When the hub received it (events from <see cref="EventHubClient.GetEventsAsync(EventQuery?, CancellationToken)"/>); null on a delivery.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Which attempt of this event's delivery this is (1 the first time); 0 outside a delivery.</summary>
    public int Attempt { get; init; }

    /// <summary>The payload.</summary>
    public JsonElement Payload { get; init; }

    /// <summary>The payload deserialised as <typeparamref name="T"/> (web defaults: camelCase, case-insensitive).</summary>
    public T? PayloadAs<T>(JsonSerializerOptions? options = null) => Payload.Deserialize<T>(options ?? Json.Default);
}

/// <summary>An event whose payload was deserialised as <typeparamref name="T"/> for a typed handler.</summary>
/// <typeparam name="T">The payload's type.</typeparam>
public sealed class HubEvent<T> : HubEvent
{
    /// <summary>The payload as <typeparamref name="T"/>.</summary>
    public required T Data { get; init; }
}
