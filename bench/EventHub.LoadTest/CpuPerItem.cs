namespace EventHub.LoadTest;

/// <summary>Microseconds of CPU per message: the raw baseline's client, and the host in each phase.</summary>
internal sealed record CpuPerItem(double? RawClient, double? Ingest, double? Emit, double? EndToEnd);
