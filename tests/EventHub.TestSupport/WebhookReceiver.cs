using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventHub.TestSupport;

/// <summary>
/// A real HTTP receiver of webhook deliveries (Kestrel on 127.0.0.1): verifies Standard Webhooks signatures with the
/// secret it is given, answers what the test tells it to (status codes in turn, slowness), and records every request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<int> _plannedStatuses = new();
    readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    WebhookReceiver(WebApplication app, int port, string host)
    {
        _app = app;
        Port = port;
        Url = $"http://{host}:{port}/hook";
    }

    public int Port { get; }

    public string Url { get; }

    public string? Secret { get; set; }

    /// <summary>The status answered once the planned ones are used up.</summary>
    public int DefaultStatus { get; set; } = 200;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>A status for the delivery of one event (by <c>webhook-id</c>), ahead of the plan and the default; null: no opinion.</summary>
    public Func<string, int?>? StatusFor { get; set; }

    /// <summary>Sent as Retry-After with 429 and 503 answers, when set.</summary>
    public int? RetryAfterSeconds { get; set; }

    public ConcurrentQueue<Delivery> Received { get; } = new();

    /// <summary>
    /// Starts a receiver on a free port, or on <paramref name="port"/> to bring back one that was stopped. For a hub in a
    /// container on a podman network, <paramref name="forContainers"/> listens on every interface (the container reaches
    /// this machine through its network's gateway) and gives the URL with podman's name for that gateway.
    /// </summary>
    public static async Task<WebhookReceiver> StartAsync(int? port = null, bool forContainers = false)
    {
        port ??= FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{(forContainers ? "0.0.0.0" : "127.0.0.1")}:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port.Value, forContainers ? "host.containers.internal" : "127.0.0.1");
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Answers these statuses to the next requests, in order.</summary>
    public void Plan(params int[] statuses)
    {
        foreach (var status in statuses)
            _plannedStatuses.Enqueue(status);
    }

    async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        var status = StatusFor?.Invoke(id) ?? (_plannedStatuses.TryDequeue(out var planned) ? planned : DefaultStatus);
        Received.Enqueue(new Delivery(id, timestamp, signature, body, Verify(id, timestamp, body, signature), status, DateTimeOffset.UtcNow));
        _firstRequest.TrySetResult();
        // A slow receiver is part of what is tested: it holds its answer, as a real one would.
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, context.RequestAborted);
        context.Response.StatusCode = status;
        if (RetryAfterSeconds is { } retryAfter && status is 429 or 503)
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsync($"{{\"handledBy\":\"receiver\",\"status\":{status}}}", context.RequestAborted);
    }

    /// <summary>Whether the delivery's signature verifies with the secret known now (it may have come before the secret did).</summary>
    public bool Verifies(Delivery delivery) => Verify(delivery.WebhookId, delivery.Timestamp, delivery.Body, delivery.Signature);

    bool Verify(string id, string timestamp, string body, string header)
    {
        if (Secret is null)
            return false;
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return header.Split(' ').Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Delivery(string WebhookId, string Timestamp, string Signature, string Body, bool SignatureValid, int AnsweredStatus, DateTimeOffset At);
}
