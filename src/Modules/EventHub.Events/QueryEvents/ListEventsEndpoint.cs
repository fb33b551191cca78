using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts;
using EventHub.Events.EventLog;
using Microsoft.AspNetCore.Http;

namespace EventHub.Events.QueryEvents;

/// <summary><c>GET /v1/events?name=&amp;source=&amp;since=&amp;until=&amp;after=&amp;limit=</c>: a page of the event log and a cursor.</summary>
internal static class ListEventsEndpoint
{
    const int DefaultLimit = 100;
    const int MaxLimit = 1000;

    public static async Task<IResult> HandleAsync(HttpRequest request, EventLogStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var q = request.Query;

        TopicPattern? name = null;
        if (q.TryGetValue("name", out var nameText) && !TopicPattern.TryParse(nameText.ToString(), out name, out var nameError))
            errors["name"] = [$"{nameError}; use an event name or a topic pattern such as order.* or auth0.#"];

        var source = q.TryGetValue("source", out var sourceText) && sourceText.ToString().Length > 0 ? sourceText.ToString() : null;
        var since = ReadTime(q, "since", errors);
        var until = ReadTime(q, "until", errors);

        var limit = DefaultLimit;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];

        long after = 0;
        if (q.TryGetValue("after", out var cursor) && !TryDecodeCursor(cursor.ToString(), out after))
            errors["after"] = ["is not a cursor this API returned: pass the 'next' value of a previous page"];

        if (errors.Count > 0)
        {
            var first = errors.Keys.First();
            return Results.ValidationProblem(errors, title: "Invalid query", detail: $"{first} {errors[first][0]}.", extensions: new Dictionary<string, object?> { ["field"] = first });
        }

        // A key bounded in what it reads gets a page of what it may read, as if the rest were not in the log.
        var caller = request.HttpContext.Caller()!;
        var page = await store.QueryAsync(new EventQuery(name, source, since, until, after, limit, caller.IsAdmin ? null : caller.MayRead), cancellationToken);
        return new PageResult(page);
    }

    static DateTimeOffset? ReadTime(IQueryCollection query, string key, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(key, out var text) || text.ToString().Length == 0)
            return null;
        if (DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        errors[key] = ["must be an ISO 8601 date-time, e.g. 2026-11-24T10:00:00Z"];
        return null;
    }

    static string EncodeCursor(long seq) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"s{seq}"));

    static bool TryDecodeCursor(string text, out long seq)
    {
        seq = 0;
        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            return decoded.StartsWith('s') && long.TryParse(decoded.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    sealed class PageResult(EventPage page) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
                EventJson.Write(writer, item);
            writer.WriteEndArray();
            if (page.NextAfter is { } next)
                writer.WriteString("next", EncodeCursor(next));
            else
                writer.WriteNull("next");
            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
