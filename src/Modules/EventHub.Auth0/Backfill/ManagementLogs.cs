using System.Text.Json;
using EventHub.Auth0.LogStream;
using EventHub.Contracts;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// Maps a page of <c>GET /api/v2/logs</c> with the webhook's own parser and mapper, so a pulled entry becomes exactly
/// the event its Log Stream delivery would have been: same contract, name, id (its log_id) and therefore MessageId.
/// The API returns the bare log objects that a Log Stream sends as <c>data</c>; each is wrapped as <c>{"data": ...}</c>.
/// </summary>
internal static class ManagementLogs
{
    public static (List<IHubEvent> Events, string? LastLogId) Map(byte[] page, DateTimeOffset receivedAt)
    {
        var wrapped = Wrap(page);
        JsonEscapes.RepairLoneSurrogates(wrapped);
        var records = LogStreamParser.Parse(wrapped);
        var events = new List<IHubEvent>(records.Count);
        string? last = null;
        foreach (var record in records)
        {
            events.Add(Auth0LogMapper.Map(record, wrapped, receivedAt));
            if (!string.IsNullOrEmpty(record.DataLogId) && (last is null || string.CompareOrdinal(record.DataLogId, last) > 0))
                last = record.DataLogId;
        }

        return (events, last);
    }

    static byte[] Wrap(byte[] page)
    {
        var reader = new Utf8JsonReader(page);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            throw new ManagementApiException("GET /api/v2/logs answered something other than a JSON array");

        using var output = new MemoryStream(page.Length + 64);
        output.Write("["u8);
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (reader.TokenType != JsonTokenType.EndObject)
                continue;
            output.Write(first ? "{\"data\":"u8 : ",{\"data\":"u8);
            output.Write(page.AsSpan(start, (int)reader.BytesConsumed - start));
            output.Write("}"u8);
            first = false;
        }

        output.Write("]"u8);
        return output.ToArray();
    }
}
