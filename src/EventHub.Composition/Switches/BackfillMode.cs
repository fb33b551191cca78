namespace EventHub.Composition.Switches;

/// <summary><c>EventHub__Auth0__Backfill</c>: how the hub pulls tenant logs from the Auth0 Management API.</summary>
public enum BackfillMode
{
    /// <summary>Never pull.</summary>
    Off,

    /// <summary>Pull at startup and every <c>EventHub__Auth0__Backfill__GapsInterval</c>, publishing what the Log Stream did not deliver.</summary>
    Gaps,

    /// <summary>Pull every <c>EventHub__Auth0__Backfill__PollInterval</c>: the only source for tenants without a Log Stream.</summary>
    Poll,
}
