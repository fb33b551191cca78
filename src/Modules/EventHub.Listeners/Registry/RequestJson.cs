using System.Buffers;
using EventHub.Contracts;
using Microsoft.AspNetCore.Http;

namespace EventHub.Listeners.Registry;

/// <summary>
/// The JSON body of a control request (registration, change, replay, acknowledgement) as bytes: bounded, since none of
/// them is large, and with lone surrogate escapes repaired before any field is decoded (see <see cref="JsonEscapes"/>).
/// </summary>
internal static class RequestJson
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/> (<see cref="MaxBytes"/> unless given).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBytes)
    {
        if (request.ContentLength > maxBytes)
            return null;
        var writer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(writer.GetMemory(4096), cancellationToken);
            if (read == 0)
                break;
            writer.Advance(read);
            if (writer.WrittenCount > maxBytes)
                return null;
        }

        var body = writer.WrittenSpan.ToArray();
        JsonEscapes.RepairLoneSurrogates(body);
        ReplaceInvalidUtf8(body);
        return body;
    }

    /// <summary>
    /// JsonDocument checks UTF-8 only when a string is decoded, which throws where no endpoint expects it: each byte of an
    /// ill-formed sequence becomes '?' here (same length), so the body fails or passes validation like any other text.
    /// </summary>
    static void ReplaceInvalidUtf8(Span<byte> body)
    {
        var at = 0;
        while (at < body.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(body[at..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                body.Slice(at, consumed).Fill((byte)'?');
            at += consumed;
        }
    }

    public static IResult TooLarge() => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body is larger than {MaxBytes} bytes.",
        extensions: new Dictionary<string, object?> { ["field"] = "body" });
}
