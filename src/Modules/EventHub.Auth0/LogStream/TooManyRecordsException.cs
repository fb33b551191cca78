namespace EventHub.Auth0.LogStream;

/// <summary>The body holds more records than one request may carry.</summary>
internal sealed class TooManyRecordsException(int maxRecords, long bytePosition)
    : Exception($"The body holds more than {maxRecords} records: send smaller batches.")
{
    public int MaxRecords { get; } = maxRecords;

    public long BytePosition { get; } = bytePosition;
}
