using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventHub.TestSupport;

/// <summary>
/// A fake Auth0 tenant on 127.0.0.1 (Kestrel, real HTTP) with the two Management API calls the backfill uses, behaving
/// as Auth0 documents them: <c>POST /oauth/token</c> (client credentials; 401 access_denied for wrong ones) and
/// <c>GET /api/v2/logs?from=&amp;take=</c> (entries with a greater log_id, in log_id order, at most take; a
/// <c>Link: &lt;...&gt;; rel="next"</c> from the last one, or repeating the request when there is nothing newer;
/// <c>X-RateLimit-*</c> headers). Faults (429 with reset headers, 500) are answered to the next log requests in turn.
/// </summary>
public sealed class FakeAuth0 : IAsyncDisposable
{
    public const string Domain = "example-tenant.eu.auth0.com";
    public const string ClientId = "backfill-client-id";
    public const string ClientSecret = "backfill-client-secret";

    readonly WebApplication _app;
    readonly List<JsonObject> _logs = [];
    readonly ConcurrentQueue<Fault> _faults = new();
    readonly Lock _lock = new();
    int _tokens;

    FakeAuth0(WebApplication app, int port)
    {
        _app = app;
        BaseAddress = $"http://127.0.0.1:{port}/";
    }

    public string BaseAddress { get; }

    /// <summary>Every log request: its <c>from</c>, the status answered and how many entries it carried.</summary>
    public ConcurrentQueue<LogRequest> LogRequests { get; } = new();

    public int TokenRequests => Volatile.Read(ref _tokens);

    /// <summary>Settings (configuration keys) that point a hub's backfill at this fake.</summary>
    public Dictionary<string, string> Settings(string mode = "Gaps", string secret = ClientSecret) => new()
    {
        ["EventHub:Auth0:Domain"] = Domain,
        ["EventHub:Auth0:ClientId"] = ClientId,
        ["EventHub:Auth0:ClientSecret"] = secret,
        ["EventHub:Auth0:Backfill"] = mode,
        ["EventHub:Auth0:Backfill:BaseAddress"] = BaseAddress,
    };

    public static async Task<FakeAuth0> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeAuth0(app, port);
        app.MapPost("/oauth/token", fake.TokenAsync);
        app.MapGet("/api/v2/logs", fake.LogsAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>A log id as Auth0 makes them: "900", the UTC time to the second, then digits that order entries.</summary>
    public static string LogId(DateTimeOffset at, int sequence) =>
        "900" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + sequence.ToString("D39", CultureInfo.InvariantCulture);

    /// <summary><paramref name="count"/> entries logged ten minutes ago (inside the default look-back), types in turn.</summary>
    public static List<JsonObject> Entries(int count, int firstSequence = 0, params string[] types)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        types = types.Length == 0 ? ["f", "s", "sapi", "pwd_leak"] : types;
        return [.. Enumerable.Range(firstSequence, count).Select(i => Auth0Entries.Record(types[i % types.Length], LogId(at, i)))];
    }

    /// <summary>Adds Log Streams records (<c>{log_id, data}</c>); the API serves their <c>data</c>, as Auth0 does.</summary>
    public void Add(IEnumerable<JsonObject> records)
    {
        lock (_lock)
        {
            _logs.AddRange(records.Select(r => r["data"]!.DeepClone().AsObject()));
            _logs.Sort((a, b) => string.CompareOrdinal(a["log_id"]!.GetValue<string>(), b["log_id"]!.GetValue<string>()));
        }
    }

    public void Plan(params Fault[] faults)
    {
        foreach (var fault in faults)
            _faults.Enqueue(fault);
    }

    /// <summary>The <c>from</c> of every answer that carried entries, in the order served.</summary>
    public IReadOnlyList<string> ServedPages => [.. LogRequests.Where(r => r.Status == 200 && r.Entries > 0).Select(r => r.From)];

    async Task TokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokens);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var valid = body?["grant_type"]?.GetValue<string>() == "client_credentials"
            && body["client_id"]?.GetValue<string>() == ClientId
            && body["client_secret"]?.GetValue<string>() == ClientSecret
            && body["audience"]?.GetValue<string>() == $"https://{Domain}/api/v2/";
        if (!valid)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = "access_denied", error_description = "Unauthorized" }, context.RequestAborted);
            return;
        }

        await context.Response.WriteAsJsonAsync(new { access_token = "fake-management-token", token_type = "Bearer", expires_in = 86400, scope = "read:logs" }, context.RequestAborted);
    }

    async Task LogsAsync(HttpContext context)
    {
        var from = context.Request.Query["from"].ToString();
        var take = int.TryParse(context.Request.Query["take"], CultureInfo.InvariantCulture, out var t) ? Math.Clamp(t, 1, 100) : 50;
        if (context.Request.Headers.Authorization.ToString() != "Bearer fake-management-token")
        {
            LogRequests.Enqueue(new LogRequest(from, 401, 0));
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { statusCode = 401, error = "Unauthorized", message = "Invalid token" }, context.RequestAborted);
            return;
        }

        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Limit"] = "50";
        context.Response.Headers["X-RateLimit-Reset"] = reset;
        if (_faults.TryDequeue(out var fault))
        {
            LogRequests.Enqueue(new LogRequest(from, fault.Status, 0));
            context.Response.StatusCode = fault.Status;
            context.Response.Headers["X-RateLimit-Remaining"] = fault.Status == 429 ? "0" : "49";
            if (!fault.SendReset)
                context.Response.Headers.Remove("X-RateLimit-Reset");
            if (fault.RetryAfterSeconds is { } retryAfter)
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new { statusCode = fault.Status, error = fault.Status == 429 ? "Too Many Requests" : "Internal Server Error" }, context.RequestAborted);
            return;
        }

        List<JsonObject> page;
        lock (_lock)
            page = [.. _logs.Where(l => string.CompareOrdinal(l["log_id"]!.GetValue<string>(), from) > 0).Take(take).Select(l => l.DeepClone().AsObject())];
        LogRequests.Enqueue(new LogRequest(from, 200, page.Count));
        var next = page.Count == 0 ? from : page[^1]["log_id"]!.GetValue<string>();
        context.Response.Headers["X-RateLimit-Remaining"] = "49";
        context.Response.Headers.Link = $"<{BaseAddress}api/v2/logs?from={next}&take={take.ToString(CultureInfo.InvariantCulture)}>; rel=\"next\"";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonArray([.. page]).ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record LogRequest(string From, int Status, int Entries);

    /// <summary>A failure answered to one log request: a 429 (with <c>X-RateLimit-Reset</c> one second ahead, and/or Retry-After) or a 5xx.</summary>
    public sealed record Fault(int Status, bool SendReset = true, int? RetryAfterSeconds = null)
    {
        public static Fault RateLimited => new(429);

        public static Fault RateLimitedWithRetryAfter => new(429, SendReset: false, RetryAfterSeconds: 1);

        public static Fault ServerError => new(500, SendReset: false);
    }
}
