using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.LogStream;

/// <summary>
/// <c>POST /webhooks/auth0</c>: authenticate, read, parse, map, publish every entry, and answer 200 only when the
/// broker has confirmed them all. Anything short of that is a 4xx (the body is wrong: Auth0 must not resend it) or a
/// 503 with Retry-After (the hub could not take it now: Auth0 resends, and resent entries keep their MessageIds).
/// </summary>
internal sealed class LogStreamIngress(
    WebhookTokens tokens,
    IOptions<Auth0Options> options,
    ConfirmedPublisher publisher,
    IngressPacing pacing,
    TimeProvider time,
    Auth0Metrics metrics,
    Backfill.StreamedLogs streamed,
    ILogger<LogStreamIngress> logger)
{
    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!tokens.IsAuthorized(request.Headers.Authorization))
        {
            metrics.Rejected("unauthorized");
            return Problems.Unauthorized();
        }

        var settings = options.Value;
        var read = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (read.Body is null)
        {
            metrics.Rejected(read.Error.ToString());
            return read.Error switch
            {
                RequestBodyError.TooLarge => Problems.TooLarge(settings.MaxBodyBytes),
                RequestBodyError.UnsupportedEncoding => Problems.UnsupportedEncoding(),
                _ => Problems.BadBody("The body is not valid gzip data.", position: null),
            };
        }

        using var body = read.Body;
        await pacing.WaitAsync(auth0Entries: true, cancellationToken);
        var receivedAt = time.GetUtcNow();
        List<IHubEvent> events;
        try
        {
            events = Map(body.Span, receivedAt, settings.MaxEntries);
        }
        catch (TooManyRecordsException e)
        {
            metrics.Rejected("too_many_records");
            return Problems.TooManyRecords(e.MaxRecords);
        }
        catch (LogStreamFormatException e)
        {
            metrics.Rejected("unparseable");
            logger.LogInformation("Rejected an Auth0 log stream body of {Bytes} bytes at byte {Position}", body.Length, e.BytePosition);
            return Problems.BadBody(e.Message, e.BytePosition);
        }

        // A publish confirmed after the 503 is harmless: Auth0 resends the batch with the same MessageIds.
        var confirmation = await publisher.PublishAsync(events, settings.ConfirmTimeout, cancellationToken);
        if (!confirmation.IsConfirmed)
        {
            metrics.Rejected("broker_unavailable", events.Count);
            logger.LogWarning("Answered 503 to an Auth0 batch of {Count} entries: {Refusal}", events.Count, confirmation.Refusal);
            return Problems.Unavailable(settings.RetryAfterSeconds);
        }

        await streamed.RecordAsync(events, cancellationToken);
        Count(events);
        return Results.Ok(new LogStreamAccepted(events.Count));
    }

    static List<IHubEvent> Map(ReadOnlySpan<byte> body, DateTimeOffset receivedAt, int maxEntries)
    {
        var records = LogStreamParser.Parse(body, maxEntries);
        var events = new List<IHubEvent>(records.Count);
        foreach (var record in records)
            events.Add(Auth0LogMapper.Map(record, body, receivedAt));
        return events;
    }

    void Count(List<IHubEvent> events)
    {
        long typed = 0, unknown = 0, unrecognized = 0;
        foreach (var hubEvent in events)
        {
            switch (hubEvent)
            {
                case Auth0UnrecognizedEntry entry:
                    unrecognized++;
                    metrics.Unrecognized(entry.Reason);
                    break;
                case Auth0UnknownLogEvent unknownCode:
                    unknown++;
                    logger.LogInformation("Auth0 entry {EventId} has unknown type code {Code}: published as {Name}", unknownCode.EventId, unknownCode.Type, unknownCode.Name);
                    break;
                default:
                    typed++;
                    break;
            }
        }

        metrics.Accepted("typed", typed);
        metrics.Accepted("unknown_code", unknown);
        if (unrecognized > 0)
            logger.LogWarning("Accepted {Count} unrecognized Auth0 records (no usable data.type) as {Name}", unrecognized, Auth0UnrecognizedEntry.EventName);
    }
}
