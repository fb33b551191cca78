namespace EventHub.Host.Bus;

/// <summary>What the bus runs on, for the startup log and health output; never holds a password.</summary>
internal sealed record BusDescription(TransportKind Transport, string? Broker);
