using EventHub.Auth0.LogStream;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EventHub.Auth0.EventStreams;

/// <summary>
/// <c>POST /webhooks/auth0/events</c>: Auth0 Event Streams (CloudEvents 1.0 over webhook). Authenticate, read, validate
/// the whole request, publish every event as its typed record, and answer 200 only once the broker confirmed them all:
/// Auth0 counts any 2xx as delivered. A 4xx means the body can never succeed; a 503 with Retry-After means "later", and
/// a resent event keeps its id and so its MessageId.
/// </summary>
internal sealed class EventStreamIngress(
    EventStreamTokens tokens,
    IOptions<Auth0Options> options,
    ConfirmedPublisher publisher,
    IngressPacing pacing,
    TimeProvider time,
    EventStreamMetrics metrics,
    ILogger<EventStreamIngress> logger)
{
    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!tokens.IsAuthorized(request.Headers.Authorization))
        {
            metrics.Rejected("unauthorized");
            return EventStreamProblems.Unauthorized(tokens.IsConfigured);
        }

        var mediaType = MediaTypeOf(request.ContentType);
        if (mediaType is null)
        {
            metrics.Rejected("media_type");
            return EventStreamProblems.UnsupportedMediaType(request.ContentType);
        }

        var settings = options.Value;
        var read = await RequestBody.ReadAsync(request, settings.EventStreams.MaxBodyBytes, cancellationToken);
        if (read.Body is null)
        {
            metrics.Rejected(read.Error.ToString());
            return read.Error switch
            {
                RequestBodyError.TooLarge => EventStreamProblems.TooLarge(settings.EventStreams.MaxBodyBytes),
                RequestBodyError.UnsupportedEncoding => EventStreamProblems.UnsupportedEncoding(),
                _ => EventStreamProblems.Invalid(new CloudEventBatch([], new Dictionary<string, string[]> { ["body"] = ["is not valid gzip data"] })),
            };
        }

        CloudEventBatch batch;
        using (var body = read.Body)
            batch = CloudEventParser.Parse(body.Span.ToArray(), mediaType, settings.EventStreams.MaxEvents);
        if (!batch.IsValid)
        {
            metrics.Rejected(batch.TooMany ? "too_many_events" : "invalid");
            logger.LogInformation("Rejected an Auth0 Event Streams request: {Field} {Problem}", batch.Errors.Keys.First(), batch.Errors.Values.First()[0]);
            return EventStreamProblems.Invalid(batch);
        }

        // Event Streams' changes are not log entries: only the event log reads them.
        await pacing.WaitAsync(auth0Entries: false, cancellationToken);
        var receivedAt = time.GetUtcNow();
        var changes = batch.Events.Select(e => Auth0ChangeMapper.Map(e, receivedAt)).ToList();
        var confirmation = await publisher.PublishAsync(changes, settings.ConfirmTimeout, cancellationToken);
        if (!confirmation.IsConfirmed)
        {
            metrics.Rejected("broker_unavailable");
            logger.LogWarning("Answered 503 to {Count} Auth0 Event Streams events: {Refusal}", changes.Count, confirmation.Refusal);
            return EventStreamProblems.Unavailable(settings.RetryAfterSeconds);
        }

        Count(changes);
        return Results.Ok(new EventStreamAccepted(changes.Count));
    }

    /// <summary>The three structured-mode media types; no Content-Type is read as JSON. Anything else: null (415).</summary>
    static string? MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return "application/json";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            return null;
        var mediaType = parsed.MediaType.Value?.ToLowerInvariant();
        return mediaType is "application/json" or CloudEventParser.SingleMediaType or CloudEventParser.BatchMediaType ? mediaType : null;
    }

    void Count(List<Auth0Change> changes)
    {
        long typed = 0, unknown = 0, test = 0;
        foreach (var change in changes)
        {
            if (change.IsTest)
                test++;
            if (change is Auth0UnknownChangeEvent)
            {
                unknown++;
                logger.LogInformation("Auth0 Event Streams event {EventId} has unknown type {Type}: published as {Name}", change.EventId, change.Type, change.Name);
            }
            else
            {
                typed++;
            }

            if (change.IsTest)
                logger.LogInformation("Accepted Auth0 Event Streams test event {EventId} ({Type}) from stream {Stream}", change.EventId, change.Type, change.Stream);
        }

        metrics.Accepted("typed", typed);
        metrics.Accepted("unknown_type", unknown);
        metrics.Accepted("test", test);
    }
}
