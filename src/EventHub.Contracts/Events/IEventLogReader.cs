namespace EventHub.Contracts.Events;

/// <summary>
/// The event log as other modules read it, in process: implemented by the events module, which owns the log, and
/// resolved from the host's container. The bus carries events only; a read needs neither the broker nor a timeout.
/// </summary>
public interface IEventLogReader
{
    /// <summary>One event by id; null when the log has no such id.</summary>
    Task<EmittedEvent?> FindAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>A page of matching events in log order, with the cursor of the next page.</summary>
    Task<LoggedEvents> ReadAsync(LoggedEventsQuery query, CancellationToken cancellationToken);
}
