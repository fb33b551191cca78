using System.Text;
using System.Text.Json;

namespace EventHub.Auth0.LogStream;

/// <summary>
/// Reads an Auth0 Log Streams body in any of its three formats (JSON array, JSON lines, one object) with
/// <see cref="Utf8JsonReader"/> over the received bytes, one forward pass, no DOM and no body string.
/// Every record must be an object; what is inside a record is the mapper's business, never a reason to fail the batch.
/// The typed <c>data</c> fields are read by <c>ReadTableField</c>, generated from <c>Auth0LogFields.tsv</c>.
/// </summary>
internal static partial class LogStreamParser
{
    const int MaxDepth = 64;

    /// <summary>Parses <paramref name="body"/>; record and data offsets in the result index into <paramref name="body"/>.</summary>
    public static List<Auth0LogFields> Parse(ReadOnlySpan<byte> body, int maxRecords = int.MaxValue)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body))
            throw new LogStreamFormatException("The body is not valid UTF-8.", FirstInvalidUtf8(body));

        var records = new List<Auth0LogFields>();
        var bom = body.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        try
        {
            ParseRecords(body[bom..], records, maxRecords);
        }
        catch (LogStreamFormatException e) when (bom > 0)
        {
            throw new LogStreamFormatException(e.Message, e.BytePosition + bom, e.InnerException);
        }

        if (bom > 0)
        {
            foreach (var record in records)
            {
                record.RecordStart += bom;
                record.DataStart += bom;
            }
        }

        return records;
    }

    static void ParseRecords(ReadOnlySpan<byte> body, List<Auth0LogFields> records, int maxRecords)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
                throw new LogStreamFormatException("The body is empty: send a JSON array, JSON lines or one JSON object of {log_id, data} records.", 0);

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    Add(records, ReadRecord(ref reader, records.Count), maxRecords, reader.TokenStartIndex);
                if (reader.Read())
                    throw new LogStreamFormatException("Unexpected content after the JSON array.", reader.TokenStartIndex);
                return;
            }

            do
            {
                Add(records, ReadRecord(ref reader, records.Count), maxRecords, reader.TokenStartIndex);
            }
            while (reader.Read());
        }
        catch (JsonException e)
        {
            throw new LogStreamFormatException($"The body is not valid JSON: {e.Message}", reader.BytesConsumed, e);
        }
    }

    static void Add(List<Auth0LogFields> records, Auth0LogFields record, int maxRecords, long position)
    {
        if (records.Count == maxRecords)
            throw new TooManyRecordsException(maxRecords, position);
        records.Add(record);
    }

    static Auth0LogFields ReadRecord(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new LogStreamFormatException(
                $"Record {index} is a JSON {Describe(reader.TokenType)}, not an object: the body must be a JSON array, JSON lines or one JSON object of {{log_id, data}} records.",
                reader.TokenStartIndex);
        }

        var fields = new Auth0LogFields { RecordStart = checked((int)reader.TokenStartIndex) };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("log_id"u8))
            {
                reader.Read();
                fields.WrapperLogId = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                fields.HasData = true;
                fields.DataIsObject = reader.TokenType == JsonTokenType.StartObject;
                if (fields.DataIsObject)
                    ReadData(ref reader, fields);
                else
                    reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        fields.RecordLength = checked((int)reader.BytesConsumed) - fields.RecordStart;
        return fields;
    }

    static void ReadData(ref Utf8JsonReader reader, Auth0LogFields fields)
    {
        fields.DataStart = checked((int)reader.TokenStartIndex);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (escaped)
            {
                // Auth0 never escapes its field names; a record that does gets its value kept in Payload only.
                reader.Skip();
                continue;
            }

            if (name.SequenceEqual("type"u8))
                fields.Type = ReadScalar(ref reader);
            else if (name.SequenceEqual("date"u8))
                fields.Date = ReadScalar(ref reader);
            else if (name.SequenceEqual("log_id"u8))
                fields.DataLogId = ReadScalar(ref reader);
            else if (!ReadTableField(name, ref reader, ref fields.Values))
                reader.Skip();
        }

        fields.DataLength = checked((int)reader.BytesConsumed) - fields.DataStart;
    }

    /// <summary>A string as itself, a number or boolean as its JSON text; null, objects and arrays as null.</summary>
    static string? ReadScalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            default:
                reader.Skip();
                return null;
        }
    }

    static IReadOnlyList<string> ReadScope(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        var scopes = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } scope)
                scopes.Add(scope);
            else
                reader.Skip();
        }

        return scopes;
    }

    static bool? ReadBoolean(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String when bool.TryParse(reader.GetString(), out var parsed):
                return parsed;
            default:
                reader.Skip();
                return null;
        }
    }

    static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    static long FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        var index = 0;
        while (index < body.Length && Rune.DecodeFromUtf8(body[index..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            index += consumed;
        return index;
    }

    static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
}
