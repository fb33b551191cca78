using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;

namespace EventHub.Auth0.LogStream;

/// <summary>
/// Turns one parsed record into the event the hub publishes: the generated record of its code, an
/// <see cref="Auth0UnknownLogEvent"/> for a code the table does not know, or an <see cref="Auth0UnrecognizedEntry"/>
/// for a record with no usable <c>data.type</c>. It never throws on content: one odd entry must not fail a batch.
/// The parser already read the typed fields into <see cref="Auth0LogFields.Values"/>; the mapper adds the envelope and the
/// record is built once from those values (no intermediate entry to copy).
/// </summary>
internal static class Auth0LogMapper
{
    const int MaxNameLength = 255;
    const int MaxIdLength = 255;
    const string UnknownGroup = "other";

    public static IHubEvent Map(Auth0LogFields fields, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        var record = body.Slice(fields.RecordStart, fields.RecordLength);
        var reason = !fields.HasData ? "missing_data" : !fields.DataIsObject ? "data_not_object" : string.IsNullOrWhiteSpace(fields.Type) ? "missing_type" : null;
        if (reason is not null)
        {
            return new Auth0UnrecognizedEntry
            {
                EventId = UsableId(fields.WrapperLogId) ?? UsableId(fields.DataLogId) ?? ContentId(record),
                Source = SourceOf(fields.Values.Tenant),
                OccurredAt = ParseDate(fields.Date) ?? receivedAt,
                ReceivedAt = receivedAt,
                Payload = Encoding.UTF8.GetString(record),
                Reason = reason,
            };
        }

        var data = body.Slice(fields.DataStart, fields.DataLength);
        var code = fields.Type!;
        var values = fields.Values;
        values.EventId = UsableId(fields.WrapperLogId) ?? UsableId(fields.DataLogId) ?? ContentId(data);
        values.Source = SourceOf(values.Tenant);
        values.OccurredAt = ParseDate(fields.Date) ?? receivedAt;
        values.ReceivedAt = receivedAt;
        values.Payload = Encoding.UTF8.GetString(data);
        values.Type = code;
        if (Auth0LogTypes.TryGet(code, out var logType))
            return logType.Create(in values);

        values.Name = UnknownCodeName(code);
        values.Group = UnknownGroup;
        return new Auth0UnknownLogEvent(in values);
    }

    /// <summary><c>auth0.other.&lt;code&gt;</c>, with the code made safe for an event name and a routing key.</summary>
    public static string UnknownCodeName(string code)
    {
        const string prefix = "auth0.other.";
        var length = Math.Min(code.Length, MaxNameLength - prefix.Length);
        return string.Create(prefix.Length + length, code, (span, source) =>
        {
            prefix.AsSpan().CopyTo(span);
            for (var i = 0; i < span.Length - prefix.Length; i++)
            {
                var c = char.ToLowerInvariant(source[i]);
                span[prefix.Length + i] = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '_';
            }
        });
    }

    /// <summary>Dates come as ISO 8601 (<c>2023-07-26T13:11:18.123Z</c>) or as <c>2023-07-26 13:11:18.123456789</c> (UTC, nanoseconds).</summary>
    public static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;

        // Both forms parse as they are; the nanoseconds of the second are rounded to .NET's 100 ns ticks.
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var parsed) ? parsed : null;
    }

    /// <summary>
    /// <c>auth0:&lt;tenant&gt;</c>. The id and the source are stored as text columns, and PostgreSQL refuses a NUL in
    /// text: a tenant name with control characters (<c>"\u0000"</c> is valid JSON) would fail the event log's whole
    /// batch, so they become <c>_</c>. The payload keeps them, escaped as sent.
    /// </summary>
    static string SourceOf(string? tenant) => "auth0:" + (NonEmpty(tenant) is { } name ? WithoutControlCharacters(name) : "unknown");

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>A log_id fit to be an event id: Auth0's are about 56 characters; anything over 255 is not one of them.</summary>
    /// <remarks>An id with control characters is not one of them either, and could not be stored (see <see cref="SourceOf"/>).</remarks>
    static string? UsableId(string? logId) => NonEmpty(logId) is { Length: <= MaxIdLength } id && !id.Any(char.IsControl) ? id : null;

    static string WithoutControlCharacters(string text) =>
        text.Any(char.IsControl) ? string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsControl(source[i]) ? '_' : source[i];
        }) : text;

    /// <summary>A stable id for an entry without a <c>log_id</c>: the same bytes resent give the same id.</summary>
    static string ContentId(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return "sha256-" + Convert.ToHexStringLower(hash[..16]);
    }
}
