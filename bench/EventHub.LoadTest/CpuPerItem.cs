namespace EventHub.LoadTest;

/// <summary>
/// Microseconds of CPU per message: the raw baseline's client, the host in each phase, and the broker (its Erlang VM)
/// per raw message, per ingested entry and per emitted event, less its idle CPU (<see cref="BrokerIdlePerSecond"/>, µs per
/// second): the broker's share is the physical floor of the ratios. The database's (PostgreSQL's postmaster and
/// backends) per ingested entry and per emitted event, likewise less its idle CPU: with the host's, the broker's and the
/// load test's own, what one entry costs the machine.
/// </summary>
internal sealed record CpuPerItem(double? RawClient, double? Ingest, double? Emit, double? EndToEnd, double? BrokerRaw, double? BrokerIngest, double? BrokerEmit, double BrokerIdlePerSecond,
    double? DatabaseIngest, double? DatabaseEmit, double DatabaseIdlePerSecond);
