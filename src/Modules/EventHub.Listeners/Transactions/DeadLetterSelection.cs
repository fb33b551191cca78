using EventHub.Storage;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;

namespace EventHub.Listeners.Transactions;

/// <summary>
/// Which dead letters a replay takes: the given <c>eventIds</c>, event names (<c>events</c> patterns), a time range of
/// the events' own times (<c>from</c>, <c>to</c>) and the last status code (<c>lastStatus</c>); every condition given
/// must hold, and none given means all.
/// </summary>
internal sealed record DeadLetterSelection(
    IReadOnlySet<string>? EventIds, IReadOnlyList<TopicPattern>? Patterns, DateTimeOffset? From, DateTimeOffset? To, IReadOnlySet<int>? LastStatus)
{
    static readonly string[] Fields = ["eventIds", "events", "from", "to", "lastStatus"];

    public static readonly DeadLetterSelection All = new(null, null, null, null, null);

    /// <summary>Whether only <see cref="EventIds"/> select, so the database can take them directly.</summary>
    public bool ByIdsOnly => Patterns is null && From is null && To is null && LastStatus is null;

    public static DeadLetterSelection? Parse(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object: {\"eventIds\"?, \"events\"?, \"from\"?, \"to\"?, \"lastStatus\"?}"];
            return null;
        }

        foreach (var (field, message) in KnownFields.Unknown(body, "", Fields))
            errors[field] = [message];
        HashSet<string>? ids = null;
        if (body.TryGetProperty("eventIds", out var idsElement) && idsElement.ValueKind != JsonValueKind.Null)
        {
            if (idsElement.ValueKind != JsonValueKind.Array || idsElement.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
                errors["eventIds"] = ["must be an array of event ids"];
            else
                ids = [.. idsElement.EnumerateArray().Select(i => i.GetString()!)];
        }

        var patterns = body.TryGetProperty("events", out var events) && events.ValueKind != JsonValueKind.Null
            ? RegistrationParser.ReadPatterns(body, errors).Select(p => TopicPattern.Parse(p)!).ToList()
            : null;
        var from = RegistrationParser.ReadTime(body, "from", errors, "dead letters of events from then are replayed");
        var to = RegistrationParser.ReadTime(body, "to", errors, "dead letters of events before then are replayed");
        if (from is not null && to is not null && to <= from)
            errors["to"] = ["must be after from"];
        HashSet<int>? statuses = null;
        if (body.TryGetProperty("lastStatus", out var status) && status.ValueKind != JsonValueKind.Null)
        {
            if (status.ValueKind != JsonValueKind.Array || status.GetArrayLength() == 0
                || status.EnumerateArray().Any(s => !s.TryGetInt32(out var code) || code is < 100 or > 599))
            {
                errors["lastStatus"] = ["must be a non-empty array of HTTP status codes (100 to 599), e.g. [500, 503]"];
            }
            else
            {
                statuses = [.. status.EnumerateArray().Select(s => s.GetInt32())];
            }
        }

        return errors.Count > 0 ? null : new DeadLetterSelection(ids, patterns, from, to, statuses);
    }

    public bool Matches(DeliveryRecord record) =>
        (EventIds is null || EventIds.Contains(record.EventId))
        && (Patterns is null || Patterns.Any(p => p.Matches(record.EventName)))
        && (From is null || UnixMicros.ToTime(record.OccurredAt) >= From)
        && (To is null || UnixMicros.ToTime(record.OccurredAt) < To)
        && (LastStatus is null || (record.LastStatus is { } last && LastStatus.Contains((int)last)));
}
