using EventHub.Publishing;
using Microsoft.AspNetCore.Http;

namespace EventHub.Auth0.LogStream;

/// <summary>The problem documents (RFC 9457) of the log stream endpoint.</summary>
internal static class Problems
{
    public static IResult Unauthorized() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Missing or wrong token",
        detail: "Send one of the configured Auth0 log stream tokens in the Authorization header, as 'Bearer <token>' or the bare token.",
        extensions: Field("Authorization"));

    public static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body is larger than {maxBytes} bytes (compressed or decompressed). Lower the Log Stream batch size or raise EventHub__Auth0__MaxBodyBytes.",
        extensions: Field("body"));

    public static IResult TooManyRecords(int maxRecords) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Too many records",
        detail: $"The body holds more than {maxRecords} records (EventHub__Auth0__MaxEntries). Nothing of this request was published.",
        extensions: Field("body"));

    public static IResult UnsupportedEncoding() => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported Content-Encoding",
        detail: "Send the body uncompressed or with Content-Encoding: gzip.",
        extensions: Field("Content-Encoding"));

    public static IResult BadBody(string detail, long? position) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Unreadable log stream body",
        detail: detail + " Nothing of this request was published.",
        extensions: position is null
            ? Field("body")
            : new Dictionary<string, object?> { ["field"] = "body", ["position"] = position });

    public static IResult Unavailable(int retryAfterSeconds) =>
        PublishProblems.Unavailable(retryAfterSeconds, "the batch", "Resend it later: entries keep their ids, so a resend is harmless.");

    internal static Dictionary<string, object?> Field(string name) => new() { ["field"] = name };
}
