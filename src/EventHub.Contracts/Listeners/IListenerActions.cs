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

    /// <summary>The listener's replay jobs, newest first, as a JSON array of the API's job objects; null when there is no such listener or it is another key's.</summary>
    Task<string?> ReplayJobsJsonAsync(string listenerId, string keyName, CancellationToken cancellationToken);

    /// <summary>Starts a replay of the event log from a body like <c>POST /v1/listeners/{id}/replays</c>'s; null when started, otherwise why not.</summary>
    Task<ListenerActionRefusal?> StartReplayAsync(string listenerId, string bodyJson, string keyName, CancellationToken cancellationToken);
}

/// <summary>Why an action on a listener was refused: the HTTP status the API would answer, the field at fault and what to do.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Field">The field at fault.</param>
/// <param name="Detail">What was wrong.</param>
public sealed record ListenerActionRefusal(int Status, string Field, string Detail);

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
