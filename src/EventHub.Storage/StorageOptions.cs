namespace EventHub.Storage;

public sealed class StorageOptions
{
    public required DatabaseProvider Provider { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary>How long a host waits for an unreachable database before it exits; null: for ever.</summary>
    public TimeSpan? StartupTimeout { get; init; }
}
