using EventHub.Auth0.LogStream;
using EventHub.Publishing;
using Microsoft.AspNetCore.Http;

namespace EventHub.Auth0.EventStreams;

/// <summary>The problem documents (RFC 9457) of <c>POST /webhooks/auth0/events</c>; each names the field that was wrong.</summary>
internal static class EventStreamProblems
{
    public static IResult Unauthorized(bool configured) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Missing or wrong token",
        detail: configured
            ? "Send one of the configured Event Streams tokens as Authorization: Bearer <token> (the stream's webhook authorization)."
            : "No Event Streams token is configured: set EventHub__Auth0__EventStreams__Tokens__0 and the same token as the stream's bearer token.",
        extensions: Problems.Field("Authorization"));

    public static IResult UnsupportedMediaType(string? contentType) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported Content-Type",
        detail: $"'{contentType}' is not accepted: send structured CloudEvents JSON as {CloudEventParser.SingleMediaType}, {CloudEventParser.BatchMediaType} or application/json.",
        extensions: Problems.Field("Content-Type"));

    public static IResult UnsupportedEncoding() => Problems.UnsupportedEncoding();

    public static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body is larger than {maxBytes} bytes (compressed or decompressed): raise EventHub__Auth0__EventStreams__MaxBodyBytes or send smaller batches.",
        extensions: Problems.Field("body"));

    public static IResult Invalid(CloudEventBatch batch)
    {
        var first = batch.Errors.Keys.First();
        return Results.ValidationProblem(
            batch.Errors,
            statusCode: batch.TooMany ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
            title: "Invalid CloudEvent",
            detail: $"{first} {batch.Errors[first][0]}. Nothing of this request was published.",
            extensions: Problems.Field(first));
    }

    public static IResult Unavailable(int retryAfterSeconds) =>
        PublishProblems.Unavailable(retryAfterSeconds, "the events", "Resend them later: events keep their ids, so a resend is harmless.");
}
