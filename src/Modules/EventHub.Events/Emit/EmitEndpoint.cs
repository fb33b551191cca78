using System.Buffers;
using EventHub.Access;
using EventHub.Contracts;
using EventHub.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EventHub.Events.Emit;

/// <summary><c>POST /v1/events</c>: validate the whole request, then publish it; 202 with the ids once the broker confirmed.</summary>
internal static class EmitEndpoint
{
    const int MaxIdempotencyKeyLength = 255;

    public static Task<IResult> HandleAsync(HttpContext context, EventEmitter emitter, IOptions<EventsOptions> options, EventsMetrics metrics, CancellationToken cancellationToken) =>
        HandleAsync(context, emitter, options, metrics, EmitShape.Hub, cancellationToken);

    /// <summary><c>POST /emit</c>: the same emit, with Buildable's body <c>{"event", "payload"}</c>, so existing senders only change the base URL.</summary>
    public static Task<IResult> HandleBuildableAsync(HttpContext context, EventEmitter emitter, IOptions<EventsOptions> options, EventsMetrics metrics, CancellationToken cancellationToken) =>
        HandleAsync(context, emitter, options, metrics, EmitShape.Buildable, cancellationToken);

    static async Task<IResult> HandleAsync(HttpContext context, EventEmitter emitter, IOptions<EventsOptions> options, EventsMetrics metrics, EmitShape shape, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var caller = context.Caller() ?? throw new InvalidOperationException("The emit endpoint requires an authenticated key.");
        var source = caller.Name;
        var idempotencyKey = context.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl))
        {
            metrics.Rejected("invalid");
            return Invalid("Idempotency-Key", $"must be at most {MaxIdempotencyKeyLength} characters without control characters");
        }

        var body = await ReadBodyAsync(context.Request, settings.MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            metrics.Rejected("too_large");
            return Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request too large",
                detail: $"The body is larger than {settings.MaxRequestBytes} bytes: split the batch.",
                extensions: new Dictionary<string, object?> { ["field"] = "body" });
        }

        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        var request = EmitBodyParser.Parse(body, mediaType, settings, shape);
        if (!request.IsValid)
        {
            var first = request.Errors.Keys.First();
            var status = request.Errors.Values.SelectMany(m => m).Any(m => m.StartsWith("is larger than", StringComparison.Ordinal))
                ? StatusCodes.Status413PayloadTooLarge
                : StatusCodes.Status400BadRequest;
            metrics.Rejected(status == StatusCodes.Status413PayloadTooLarge ? "too_large" : "invalid");
            return Results.ValidationProblem(
                request.Errors,
                statusCode: status,
                title: "Invalid event",
                detail: $"{first} {request.Errors[first][0]}. Nothing of this request was published.",
                extensions: new Dictionary<string, object?> { ["field"] = first });
        }

        if (request.Events.FirstOrDefault(e => !caller.MayEmit(e.Name)) is { } outside)
        {
            metrics.Rejected("forbidden");
            return KeyAccess.Forbidden(
                "Outside the key's emit patterns",
                $"This key may emit only {string.Join(", ", caller.Emit.Select(p => p.Text))}, not '{outside.Name}' (EventHub__Keys__{caller.Name}__Emit__N). Nothing of this request was published.",
                Scopes.Emit,
                shape == EmitShape.Buildable ? "event" : "name");
        }

        var outcome = await emitter.EmitAsync(request.Events, source, idempotencyKey.Length == 0 ? null : idempotencyKey, cancellationToken);
        if (outcome.TakenId is { } taken)
        {
            metrics.Rejected("id_taken");
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Id taken",
                detail: $"The event id '{taken}' was emitted by another source: ids belong to the key that used them first. Use ids of your own (or none). Nothing of this request was published.",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }

        if (!outcome.IsAccepted)
        {
            metrics.Rejected("unavailable");
            return PublishProblems.Unavailable(outcome.RetryAfterSeconds!.Value, "the events", "Retry with the same ids or Idempotency-Key: nothing is published twice.");
        }

        metrics.Emitted(request.Events.Select(e => e.Name));
        return Results.Accepted(value: new EmitAccepted(outcome.Ids));
    }

    static IResult Invalid(string field, string message) => Results.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [message] },
        title: "Invalid request",
        detail: $"{field} {message}.",
        extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>The body as bytes, or null when it is larger than <paramref name="limit"/>.</summary>
    static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return null;
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 4096);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var body = buffer.ToArray();
        JsonEscapes.RepairLoneSurrogates(body);
        return body;
    }
}
