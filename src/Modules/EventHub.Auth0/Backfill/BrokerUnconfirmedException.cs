namespace EventHub.Auth0.Backfill;

/// <summary>A page's entries were not all confirmed by the broker: the checkpoint must not move past it.</summary>
internal sealed class BrokerUnconfirmedException(string message) : Exception(message);
