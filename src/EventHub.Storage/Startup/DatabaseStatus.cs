namespace EventHub.Storage.Startup;

/// <summary>
/// Whether this copy's schema is in place, and if not, why: the gate every database user waits on or answers 503 behind,
/// and the one line the readiness check shows. It opens once; a later outage is seen by the queries themselves.
/// </summary>
public sealed class DatabaseStatus
{
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile string? _lastError;
    volatile DatabaseStartupException? _gaveUp;

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>The last reason the database could not be used, on one line; null once it is ready.</summary>
    public string? LastError => _lastError;

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Throws the reason the host stopped waiting for its database, if it did (the host's last step).</summary>
    public void ThrowIfGaveUp()
    {
        if (_gaveUp is { } gaveUp)
            throw gaveUp;
    }

    internal void Ready()
    {
        _lastError = null;
        _ready.TrySetResult();
    }

    internal void Failed(string oneLine) => _lastError = oneLine;

    internal void GiveUp(DatabaseStartupException reason) => _gaveUp = reason;
}
