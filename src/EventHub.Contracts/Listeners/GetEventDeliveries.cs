namespace EventHub.Contracts.Listeners;

/// <summary>Asks the listeners module for the delivery records of one event at every listener (answered with <see cref="EventDeliveries"/>).</summary>
/// <param name="EventId">The event's id.</param>
public sealed record GetEventDeliveries(string EventId);
