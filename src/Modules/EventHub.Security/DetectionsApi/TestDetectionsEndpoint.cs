using System.Text.Json;
using EventHub.Contracts.Events;
using EventHub.Security.Rules;
using Microsoft.AspNetCore.Http;

namespace EventHub.Security.DetectionsApi;

/// <summary>
/// <c>POST /v1/detections/test</c> with <c>{"entry": {"log_id", "data"}}</c> (a Log Stream entry) or <c>{"logId"}</c> (an
/// entry in the event log): the rules whose detection matches that one entry, before any correlation, with the
/// selections that matched. Nothing is published or counted.
/// </summary>
internal static class TestDetectionsEndpoint
{
    const int MaxBodyBytes = 256 * 1024;

    public static async Task<IResult> HandleAsync(HttpRequest request, DetectionRules rules, IEventLogReader events, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return Invalid("body", $"is larger than {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
        JsonDocument body;
        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(limited, cancellationToken);
            if (limited.Length > MaxBodyBytes)
                return Invalid("body", $"is larger than {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            body = JsonDocument.Parse(limited.ToArray());
        }
        catch (JsonException)
        {
            return Invalid("body", "is not valid JSON");
        }

        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object)
                return Invalid("body", "must be an object with entry or logId");
            if (body.RootElement.TryGetProperty("entry", out var entry))
                return Evaluate(entry, "entry", rules);
            if (!body.RootElement.TryGetProperty("logId", out var logId))
                return Invalid("entry", "is required (or logId)");
            if (logId.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(logId.GetString()) || logId.GetString()!.Length > 255)
                return Invalid("logId", "must be a non-empty string of at most 255 characters");

            var stored = await events.FindAsync(logId.GetString()!, cancellationToken);
            if (stored is null || !stored.Name.StartsWith("auth0.", StringComparison.Ordinal))
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such entry", detail: $"No Auth0 entry with log_id '{logId.GetString()}' is in the event log.", extensions: new Dictionary<string, object?> { ["field"] = "logId" });
            using var data = JsonDocument.Parse(stored.Payload);
            return Results.Ok(Test(stored.EventId, data.RootElement, rules));
        }
    }

    static IResult Evaluate(JsonElement entry, string field, DetectionRules rules)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            return Invalid(field, "must be an object {log_id, data}");
        if (!entry.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Invalid($"{field}.data", "is required and must be an object");
        var logId = "";
        if (entry.TryGetProperty("log_id", out var id))
        {
            if (id.ValueKind != JsonValueKind.String)
                return Invalid($"{field}.log_id", "must be a string");
            logId = id.GetString()!;
        }
        else if (data.TryGetProperty("log_id", out var inner) && inner.ValueKind == JsonValueKind.String)
        {
            logId = inner.GetString()!;
        }

        if (data.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.String)
            return Invalid($"{field}.data.type", "must be a string (an Auth0 log type code)");
        return Results.Ok(Test(logId, data, rules));
    }

    static DetectionTest Test(string logId, JsonElement data, DetectionRules rules)
    {
        var type = data.TryGetProperty("type", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "";
        using var entry = new SigmaEntry(logId, type, data.GetRawText());
        var matches = rules.Set.Match(entry)
            .Select(r => new DetectionMatch(r.Info.Id, r.Info.Name, r.Info.Title, r.Info.Level, r.Info.Equivalents, r.MatchedSelections(entry), r.Alerts, [.. r.UsedBy.Select(c => c.Info.Name)]))
            .ToList();
        return new DetectionTest(logId, type, matches);
    }

    static IResult Invalid(string field, string message, int status = StatusCodes.Status400BadRequest) => Results.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [message] },
        statusCode: status,
        title: "Invalid detection test",
        detail: $"{field} {message}.",
        extensions: new Dictionary<string, object?> { ["field"] = field });
}

internal sealed record DetectionTest(string LogId, string Type, IReadOnlyList<DetectionMatch> Matches);

// Selections: The rule's selections that match the entry on their own.
// Alerts: Whether this match alone raises an alert; otherwise it counts toward Correlations.
internal sealed record DetectionMatch(string Id, string Name, string Title, string Level, IReadOnlyList<string> Equivalents, IReadOnlyList<string> Selections, bool Alerts, IReadOnlyList<string> Correlations);
