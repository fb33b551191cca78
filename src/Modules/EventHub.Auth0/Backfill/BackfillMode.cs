namespace EventHub.Auth0.Backfill;

/// <summary><c>EventHub__Auth0__Backfill</c>: how the hub pulls tenant logs from the Management API.</summary>
internal enum BackfillMode
{
    /// <summary>Never pull.</summary>
    Off,

    /// <summary>Pull at startup and every <see cref="BackfillOptions.GapsInterval"/>, publishing what the Log Stream did not deliver.</summary>
    Gaps,

    /// <summary>Pull every <see cref="BackfillOptions.PollInterval"/>: the only source for tenants without a Log Stream.</summary>
    Poll,
}
