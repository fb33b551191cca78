namespace EventHub.Contracts.Listeners;

/// <summary>
/// Where an event went, as other modules read it in process: implemented by the listeners module, which owns the
/// delivery records, and resolved from the host's container (absent when the listeners module is off).
/// </summary>
public interface IEventDeliveriesReader
{
    /// <summary>The delivery records of one event, one per listener that received it.</summary>
    Task<EventDeliveries> ReadAsync(string eventId, CancellationToken cancellationToken);
}
