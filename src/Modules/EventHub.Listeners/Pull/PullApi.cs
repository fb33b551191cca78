using System.Globalization;
using System.Text;
using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts;
using EventHub.Listeners.Queues;
using EventHub.Listeners.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Pull;

/// <summary>
/// <c>GET /v1/listeners/{id}/stream</c> (server-sent events) and <c>POST /v1/listeners/{id}/transactions/{eventId}</c>
/// (the acknowledgement of one streamed event). Protocol: docs/adr/0004.
/// </summary>
internal static class PullApi
{
    /// <summary>The service key of the cap on pull streams per key.</summary>
    public const string StreamCap = "pull-streams";
    const int DefaultMaxInFlight = 10;
    const int MaxMaxInFlight = 1000;
    const int MaxOutputBytes = 65536;
    const int MaxErrorLength = 2000;

    /// <summary>An acknowledgement's body: its output, its error and room for the rest, so an output too large is named as such.</summary>
    public const long MaxAcknowledgementBytes = MaxOutputBytes + (4 * MaxErrorLength) + 16 * 1024;

    public static async Task<IResult> StreamAsync(
        string id,
        int? maxInFlight,
        HttpContext context,
        ListenerStore store,
        PullStreams streams,
        [FromKeyedServices(StreamCap)] ConnectionCap cap,
        ListenerQueues endpoints,
        IOptions<ListenersOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        var (listener, refusal) = await store.FindOwnedAsync(id, context, cancellationToken);
        if (listener is null)
            return refusal!;
        if (listener.DeliveryType != Listener.Pull)
            return Problem(StatusCodes.Status409Conflict, "Not a pull listener", $"Listener '{id}' delivers by webhook; only a listener with delivery.type \"pull\" has a stream.", "delivery.type");
        if (maxInFlight is < 1 or > MaxMaxInFlight)
            return ListenersApi.Invalid(new() { ["maxInFlight"] = [$"must be a whole number from 1 to {MaxMaxInFlight}: how many events this stream may hold unacknowledged"] });

        var max = options.Value.MaxStreamsPerKey;
        using var slot = cap.TryOpen(context.Caller()!.Name, max);
        if (slot is null)
            return cap.Refuse(context, max);

        var logger = loggers.CreateLogger(typeof(PullApi).FullName!);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } last ? last : null;
        using var stream = streams.Connect(id, maxInFlight ?? DefaultMaxInFlight, lastEventId, cancellationToken);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var writeLock = new SemaphoreSlim(1, 1);
        logger.LogInformation("Pull stream opened for listener {ListenerId}", id);
        try
        {
            await endpoints.SyncAsync(cancellationToken);
            var heartbeat = options.Value.HeartbeatInterval;
            await WriteAsync(response, writeLock, $"retry: 1000\nevent: ready\ndata: {JsonSerializer.Serialize(new { listenerId = id, heartbeatSeconds = heartbeat.TotalSeconds })}\n\n", stream.Closed);
            var heartbeats = HeartbeatsAsync(response, writeLock, heartbeat, time, stream.Closed);
            try
            {
                while (true)
                {
                    var offer = await stream.NextAsync(stream.Closed);
                    await WriteAsync(response, writeLock, Frame(offer), stream.Closed);
                }
            }
            finally
            {
                stream.Abandon();
                await heartbeats;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the hub closed the stream: what it held is redelivered (Disconnect below).
        }
        finally
        {
            streams.Disconnect(stream);
            logger.LogInformation("Pull stream closed for listener {ListenerId}", id);
            // The last stream gone: stop consuming the queue here (in the background, the request is over).
            _ = Task.Run(() => SyncQuietlyAsync(endpoints, lifetime.ApplicationStopping), CancellationToken.None);
        }

        return Results.Empty;
    }

    static async Task SyncQuietlyAsync(ListenerQueues endpoints, CancellationToken cancellationToken)
    {
        try
        {
            await endpoints.SyncAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Stopping, or the periodic sync will do it.
        }
    }

    static async Task HeartbeatsAsync(HttpResponse response, SemaphoreSlim writeLock, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await WriteAsync(response, writeLock, ": heartbeat\n\n", cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    static async Task WriteAsync(HttpResponse response, SemaphoreSlim writeLock, string text, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>One event as an SSE frame: its id (for Last-Event-ID), and the event as webhooks receive it plus the attempt number.</summary>
    static string Frame(PullOffer offer)
    {
        var item = offer.Item;
        // Utf8JsonWriter escapes control characters, so the JSON is one line and fits one data: field.
        return string.Create(CultureInfo.InvariantCulture, $"id: {item.EventId}\nevent: event\ndata: {Encoding.UTF8.GetString(item.ToJson(offer.Attempt))}\n\n");
    }

    /// <summary>Settles a streamed event: succeeded (broker ack, output kept in the transaction) or failed (retry schedule, dead letter).</summary>
    public static async Task<IResult> AcknowledgeAsync(string id, string eventId, HttpRequest request, ListenerStore store, PullAcknowledgements acknowledgements, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, request.HttpContext, cancellationToken)).Refusal is { } refusal)
            return refusal;

        if (await RequestJson.ReadAsync(request, cancellationToken, (int)MaxAcknowledgementBytes) is not { } bytes)
            return RequestJson.TooLarge();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return ListenersApi.Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] });
        }

        bool succeeded;
        string? output = null;
        string? error = null;
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
                return ListenersApi.Invalid(new() { ["body"] = ["must be {\"status\": \"succeeded\" | \"failed\", \"output\"?: any JSON, \"error\"?: \"...\"}"] });
            foreach (var (field, message) in KnownFields.Unknown(body, "", ["status", "output", "error"]))
                return ListenersApi.Invalid(new() { [field] = [message] });
            var status = body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (status is not ("succeeded" or "failed"))
                return ListenersApi.Invalid(new() { ["status"] = ["must be \"succeeded\" or \"failed\""] });
            succeeded = status == "succeeded";
            if (body.TryGetProperty("output", out var o) && o.ValueKind != JsonValueKind.Null)
            {
                output = o.GetRawText();
                if (Encoding.UTF8.GetByteCount(output) > MaxOutputBytes)
                    return Problem(StatusCodes.Status413PayloadTooLarge, "Output too large", $"output is larger than {MaxOutputBytes} bytes.", "output");
            }

            if (body.TryGetProperty("error", out var e) && e.ValueKind != JsonValueKind.Null)
            {
                if (e.ValueKind != JsonValueKind.String)
                    return ListenersApi.Invalid(new() { ["error"] = ["must be a string"] });
                error = e.GetString()!;
                if (error.Length > MaxErrorLength)
                    error = error[..MaxErrorLength];
            }
        }

        return await acknowledgements.SettleAsync(new SettlePullEvent(id, eventId, succeeded, output, error), cancellationToken) switch
        {
            AcknowledgementOutcome.Recorded => Results.Ok(new { eventId, status = succeeded ? "succeeded" : "failed" }),
            // Not stored (the database failed): the broker message stays unacknowledged and comes back.
            AcknowledgementOutcome.NotRecorded => Problem(StatusCodes.Status503ServiceUnavailable, "Not recorded", $"The outcome of event '{eventId}' could not be stored; the event will be delivered again.", "eventId"),
            AcknowledgementOutcome.Unknown => Problem(
                StatusCodes.Status409Conflict,
                "Not awaiting an acknowledgement",
                $"Listener '{id}' has no delivery of event '{eventId}': the id is not one its stream sent.",
                "eventId"),
            _ => Problem(
                StatusCodes.Status409Conflict,
                "Not awaiting an acknowledgement",
                $"Event '{eventId}' is not in flight on a stream of this listener: already acknowledged, or timed out or its stream closed (it is then delivered again).",
                "eventId"),
        };
    }

    static IResult Problem(int status, string title, string detail, string field) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["field"] = field });
}
