using System.Globalization;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Listeners.Registry;
using Microsoft.AspNetCore.Http;

namespace EventHub.Listeners.Filters;

/// <summary><c>POST /v1/filters/test</c>: whether a filter matches an event (given, or by id from the event log), and why not.</summary>
internal static class FilterTestApi
{
    static readonly string[] Fields = ["filter", "event", "eventId"];
    static readonly string[] EventFields = ["id", "name", "source", "time", "payload"];

    public static async Task<IResult> TestAsync(HttpRequest request, IEventLogReader log, TimeProvider time, CancellationToken cancellationToken)
    {
        var (document, problem) = await ListenersApi.ReadObjectAsync(request, cancellationToken);
        if (document is null)
            return problem!;
        using (document)
        {
            var body = document.RootElement;
            var errors = new Dictionary<string, string[]>();
            var e = body.TryGetProperty("event", out var given) ? given : default;
            foreach (var (field, message) in KnownFields.Unknown(body, "", Fields).Concat(KnownFields.Unknown(e, "event.", EventFields)))
                errors[field] = [message];
            var filter = body.TryGetProperty("filter", out var f) ? PayloadFilter.Parse(f, "filter", errors) : null;
            if (!body.TryGetProperty("filter", out _))
                errors["filter"] = ["is required: the filter to test"];

            var eventId = body.TryGetProperty("eventId", out var id) ? id.ValueKind == JsonValueKind.String ? id.GetString() : "" : null;
            if (eventId is "" || (eventId is not null) == (e.ValueKind == JsonValueKind.Object))
                errors["eventId"] = ["give either eventId (a string: an event from the log) or event ({\"name\", \"payload\", \"source\"?, \"time\"?, \"id\"?})"];
            var tested = e.ValueKind == JsonValueKind.Object ? ReadEvent(e, time.GetUtcNow(), errors) : null;
            if (errors.Count > 0)
                return ListenersApi.Invalid(errors);

            if (eventId is not null)
            {
                tested = await log.FindAsync(eventId, cancellationToken);
                if (tested is null)
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"The event log has no event '{eventId}'.",
                        extensions: new Dictionary<string, object?> { ["field"] = "eventId" });
                }
            }

            var (matches, reason) = filter!.Match(tested!.EventId, tested.Name, tested.Source, tested.OccurredAt, tested.Payload);
            return Results.Ok(new { matches, reason, eventId = tested.EventId });
        }
    }

    static EmittedEvent? ReadEvent(JsonElement e, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        string? Text(string field) => e.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : Bad(field, "must be a string")
            : null;
        string? Bad(string field, string message)
        {
            errors[$"event.{field}"] = [message];
            return null;
        }

        var name = Text("name") ?? Bad("name", "is required: the event's name");
        var at = now;
        if (Text("time") is { } time && !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
            Bad("time", "must be an ISO 8601 date-time");
        if (!e.TryGetProperty("payload", out var payload))
            Bad("payload", "is required: any JSON value");
        return new EmittedEvent
        {
            EventId = Text("id") ?? "test",
            Name = name ?? "",
            Source = Text("source") ?? "test",
            OccurredAt = at,
            ReceivedAt = now,
            Payload = payload.ValueKind == JsonValueKind.Undefined ? "null" : payload.GetRawText(),
        };
    }
}
