namespace EventHub.Auth0.EventStreams;

/// <summary>
/// <c>EventHub:Auth0:EventStreams</c>. Confirm timeout and Retry-After are shared with the log stream endpoint
/// (<c>EventHub__Auth0__ConfirmTimeout</c>, <c>EventHub__Auth0__RetryAfterSeconds</c>).
/// </summary>
internal sealed class EventStreamsOptions
{
    /// <summary>Tokens an Auth0 Event Stream may send as <c>Authorization: Bearer</c>; its own list, apart from the log stream's.</summary>
    public List<string> Tokens { get; init; } = [];

    public bool AllowAnonymous { get; init; }

    /// <summary>Largest accepted body, compressed and decompressed. Auth0 sends one event of a few KB per request.</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Most CloudEvents in one batch request.</summary>
    public int MaxEvents { get; init; } = 1000;
}
