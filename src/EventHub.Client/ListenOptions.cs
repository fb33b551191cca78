using System.Text.Json.Nodes;

namespace EventHub.Client;

/// <summary>How <see cref="EventHubClient.OnAsync(string, Func{HubEvent, CancellationToken, Task{object}}, ListenOptions?, CancellationToken)"/> registers and runs its listener.</summary>
public sealed class ListenOptions
{
    /// <summary>The platform part of the listener's key (e.g. the service's name).</summary>
    public string? Platform { get; init; }

    /// <summary>
    /// The event names and topic patterns the listener receives, when more than one: one queue and one secret, an event
    /// matching several delivered once. Null: just the pattern given to OnAsync, which stays the listener's name (its key).
    /// </summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>The label part of the listener's key (e.g. an environment or a tenant).</summary>
    public string? Label { get; init; }

    /// <summary>
    /// Names the transaction (the listener) when one pattern has several independent handlers: each transaction key gets
    /// its own listener, so each handler sees every event. Subscribers with the same key share the events instead.
    /// </summary>
    public string? TxKey { get; init; }

    /// <summary>Also deliver matching events from the event log received since then (once, when the listener is registered).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>
    /// Only events this payload filter matches reach the handler; the hub acknowledges the others itself. Dotted paths and
    /// operators, e.g. <c>{"payload.connection": {"$in": ["google-oauth2"]}, "payload.ip": {"$cidr": "203.0.113.0/24"}}</c>
    /// (see the README). A bad filter is refused by the hub with the path and operator named.
    /// </summary>
    public JsonObject? Filter { get; init; }

    /// <summary>How many events this subscriber handles at once (and holds unacknowledged). Default 1.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>How long the hub waits for the handler's acknowledgement before redelivering, in seconds (1 to 60). Default: the hub's.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Retry delays after a failed handler, e.g. <c>["0s", "5s", "1m"]</c>; after the last the event is a dead letter. Default: the hub's.</summary>
    public IReadOnlyList<string>? RetrySchedule { get; init; }
}
