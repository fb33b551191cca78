namespace EventHub.Contracts.Listeners;

/// <summary>
/// What the dashboard does to a listener, in process: implemented by the listeners module (absent when it is off).
/// Done for a key, by its name, with the API's ownership rule; the scope each needs is the caller's to check.
/// </summary>
public interface IListenerActions
{
    /// <summary>Resumes a paused listener: what its queue held is delivered, its waiting retries at once.</summary>
    Task<ListenerActionOutcome> ResumeAsync(string listenerId, string keyName, CancellationToken cancellationToken);

    /// <summary>Delivers the listener's given dead letters again; how many were put back, or null when there is no such listener or it is another key's.</summary>
    Task<int?> ReplayDeadLettersAsync(string listenerId, IReadOnlyCollection<string> eventIds, string keyName, CancellationToken cancellationToken);
}

/// <summary>How an action on a listener went.</summary>
public enum ListenerActionOutcome
{
    /// <summary>It was done.</summary>
    Done,

    /// <summary>There is no such listener, or it is another key's.</summary>
    NotFound,

    /// <summary>The listener is not in a state the action applies to (resuming one that is not paused).</summary>
    Refused,
}
