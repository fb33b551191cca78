using System.Globalization;
using System.Text.Json;
using EventHub.Composition.Switches;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.Backfill;

/// <summary><c>POST /v1/auth0/backfill {from?}</c> asks for a pull; <c>GET /v1/auth0/backfill</c> shows the checkpoint and progress.</summary>
internal static class BackfillEndpoints
{
    const int MaxBodyBytes = 4096;

    public static async Task<IResult> GetAsync(IBackfillStatusReader reader, CancellationToken cancellationToken) =>
        Results.Ok(await reader.ReadAsync(cancellationToken));

    public static async Task<IResult> RequestAsync(HttpRequest request, BackfillStore store, IOptions<Auth0Options> options, HubSwitches switches, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (switches.Backfill == BackfillMode.Off)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Backfill is off",
                detail: "Set EventHub__Auth0__Domain, __ClientId and __ClientSecret (and EventHub__Auth0__Backfill=Gaps or Poll) to pull from the Management API.",
                extensions: new Dictionary<string, object?> { ["field"] = "EventHub__Auth0__Backfill" });
        }

        var (from, problem) = await ReadFromAsync(request, time.GetUtcNow(), cancellationToken);
        if (problem is not null)
            return problem;

        var tenant = BackfillSettings.Tenant(settings);
        var now = time.GetUtcNow();
        from ??= (await store.GetAsync(tenant, cancellationToken))?.Checkpoint ?? LogIds.FromTime(now - settings.Backfill.InitialLookback);
        await store.RequestAsync(tenant, from, UnixMicros.From(now), cancellationToken);
        request.HttpContext.RequestServices.GetRequiredService<BackfillService>().Wake();
        return Results.Accepted("/v1/auth0/backfill", BackfillStatusReader.Of(switches.Backfill, tenant, await store.GetAsync(tenant, cancellationToken), now));
    }

    /// <summary>The body is optional; <c>from</c> is a log id (letters and digits) or an ISO 8601 time (UTC unless it says otherwise).</summary>
    static async Task<(string? From, IResult? Problem)> ReadFromAsync(HttpRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
            return (null, Bad("body", $"The body is larger than {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
            return (null, Bad("body", $"The body is larger than {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge));
        if (buffer.Length == 0)
            return (null, null);

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return (null, Bad("body", "The body is not valid JSON: send {} or {\"from\": \"<log_id or ISO 8601 time>\"}."));
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Bad("body", "The body must be a JSON object: {} or {\"from\": \"<log_id or ISO 8601 time>\"}."));
            foreach (var (field, message) in KnownFields.Unknown(json.RootElement, "", ["from"]))
                return (null, Bad(field, $"{field} {message}."));
            if (!json.RootElement.TryGetProperty("from", out var from) || from.ValueKind == JsonValueKind.Null)
                return (null, null);
            if (from.ValueKind != JsonValueKind.String || from.GetString() is not { Length: > 0 } text)
                return (null, Bad("from", "from must be a string: an Auth0 log_id or an ISO 8601 time."));

            if (text.Contains('-', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    return (null, Bad("from", $"from '{text}' is neither a log_id nor an ISO 8601 time (e.g. 2026-11-20T10:00:00Z)."));
                if (at > now)
                    return (null, Bad("from", $"from '{text}' is in the future."));
                return (LogIds.FromTime(at), null);
            }

            return LogIds.IsValid(text)
                ? (text, null)
                : (null, Bad("from", $"from '{text}' is neither a log_id (letters and digits) nor an ISO 8601 time."));
        }
    }

    static IResult Bad(string field, string detail, int status = StatusCodes.Status400BadRequest) => Results.Problem(
        statusCode: status,
        title: status == StatusCodes.Status400BadRequest ? "Invalid backfill request" : "Request too large",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["field"] = field });
}
