namespace EventHub.Auth0.Backfill;

/// <summary>
/// <c>EventHub:Auth0:Backfill</c>. The mode is the section's own value (<c>EventHub__Auth0__Backfill=Gaps</c>), a switch
/// read by HubSwitches; the rest are its children (<c>EventHub__Auth0__Backfill__PollInterval</c>); the credentials are
/// <see cref="Auth0Options"/>'s.
/// </summary>
internal sealed class BackfillOptions
{
    public const string Section = "EventHub:Auth0:Backfill";

    /// <summary>Where the Management API is reached; https://&lt;Domain&gt;/ unless set (tests point it at a fake on loopback).</summary>
    public string? BaseAddress { get; init; }

    /// <summary>The checkpoint's key; the first label of the domain unless set (needed with a custom domain).</summary>
    public string? Tenant { get; init; }

    public TimeSpan GapsInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back the very first pull starts when there is no checkpoint yet.</summary>
    public TimeSpan InitialLookback { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>take</c>: entries per page; Auth0 allows at most 100.</summary>
    public int PageSize { get; init; } = 100;
}
