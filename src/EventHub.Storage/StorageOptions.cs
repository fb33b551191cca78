namespace EventHub.Storage;

public sealed class StorageOptions
{
    public required DatabaseProvider Provider { get; init; }

    public required string ConnectionString { get; init; }
}
