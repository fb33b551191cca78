using EventHub.Contracts.Auth0;

namespace EventHub.Auth0.LogStream;

/// <summary>What the mapper needs of one record, read in a single pass over its bytes.</summary>
internal sealed class Auth0LogFields
{
    public string? WrapperLogId { get; set; }
    public string? DataLogId { get; set; }
    public bool HasData { get; set; }
    public bool DataIsObject { get; set; }
    public int RecordStart { get; set; }
    public int RecordLength { get; set; }
    public int DataStart { get; set; }
    public int DataLength { get; set; }

    public string? Type { get; set; }
    public string? Date { get; set; }

    /// <summary>
    /// The fields of <c>Auth0LogFields.tsv</c>, read straight into the values the code's record is built from.
    /// A field, not a property: the parser fills it in place (<c>ref</c>).
    /// </summary>
    public Auth0LogEntryValues Values;
}
