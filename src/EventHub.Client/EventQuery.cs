namespace EventHub.Client;

/// <summary>Filters of <see cref="EventHubClient.GetEventsAsync(EventQuery?, CancellationToken)"/>.</summary>
public sealed record EventQuery
{
    /// <summary>An event name or topic pattern (<c>*</c> one word, <c>#</c> zero or more).</summary>
    public string? Name { get; init; }

    /// <summary>The emitter: an API key's name, or <c>auth0:&lt;tenant&gt;</c>.</summary>
    public string? Source { get; init; }

    /// <summary>Only events that happened at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events that happened before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Events fetched per request (1 to 1000). Default 100.</summary>
    public int PageSize { get; init; } = 100;
}
