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
    public string? Description { get; set; }
    public string? Tenant { get; set; }
    public string? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? Connection { get; set; }
    public string? ConnectionId { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? Hostname { get; set; }
    public string? Strategy { get; set; }
    public string? StrategyType { get; set; }
    public string? Audience { get; set; }
    public IReadOnlyList<string> Scope { get; set; } = [];
    public bool? IsMobile { get; set; }
    public string? OrganizationId { get; set; }
    public string? OrganizationName { get; set; }
}
