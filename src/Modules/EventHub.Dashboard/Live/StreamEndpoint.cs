using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventHub.Dashboard.Live;

/// <summary>
/// <c>GET /ui/stream?name=&amp;source=</c>: the live events as server-sent events, one JSON object per event, with a
/// comment every 15 s so proxies keep the connection open. Ends when the browser leaves or the host stops.
/// </summary>
internal static class StreamEndpoint
{
    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The service key of the cap on live feeds per key.</summary>
    public const string Cap = "ui-streams";

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string? name,
        string? source,
        LiveFeed feed,
        LiveFeedBinding binding,
        [FromKeyedServices(Cap)] ConnectionCap cap,
        IOptions<UiOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        TopicPattern? pattern = null;
        if (!string.IsNullOrEmpty(name) && !TopicPattern.TryParse(name, out pattern, out var error))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid filter", detail: $"name {error}.",
                extensions: new Dictionary<string, object?> { ["field"] = "name" });
        }

        if (context.Caller() is not { } key || !key.Has(Scopes.EventsRead))
            return KeyAccess.MissingScope(Scopes.EventsRead);
        var max = options.Value.MaxStreamsPerKey;
        using var slot = cap.TryOpen(key.Name, max);
        if (slot is null)
            return cap.Refuse(context, max);

        var filter = new LiveFilter(pattern, string.IsNullOrEmpty(source) ? null : source);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        using var watcher = feed.Watch();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        IAsyncDisposable? bound = null;
        using var keepAlive = new PeriodicTimer(KeepAlive, time);
        try
        {
            bound = await binding.WatchAsync(stop.Token);
            await response.WriteAsync("retry: 3000\n: connected\n\n", stop.Token);
            await response.Body.FlushAsync(stop.Token);
            Task<bool>? read = null;
            Task<bool>? tick = null;
            while (true)
            {
                read ??= watcher.Events.WaitToReadAsync(stop.Token).AsTask();
                tick ??= keepAlive.WaitForNextTickAsync(stop.Token).AsTask();
                if (await Task.WhenAny(read, tick) == tick)
                {
                    tick = null;
                    await response.WriteAsync(": keep-alive\n\n", stop.Token);
                }
                else
                {
                    if (!await read)
                        break;
                    read = null;
                    while (watcher.Events.TryRead(out var e))
                    {
                        if (filter.Matches(e) && key.MayRead(e.Name))
                            await response.WriteAsync($"data: {JsonSerializer.Serialize(e, Json)}\n\n", stop.Token);
                    }
                }

                await response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (bound is not null)
                await bound.DisposeAsync();
        }

        return Results.Empty;
    }
}
