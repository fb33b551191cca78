using EventHub.Composition;
using Microsoft.AspNetCore.Http;

namespace EventHub.Access;

/// <summary>
/// At most so many long-lived connections of one kind (pull streams, the dashboard's live feed) open at once per key, on
/// this copy: one key's client that leaks connections cannot hold every thread and socket of the hub. Counted per copy,
/// like the rate limits; with several copies behind a balancer a key may hold up to that many on each.
/// </summary>
public sealed class ConnectionCap(string setting)
{
    readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A slot for the key, released when disposed; null when the key already holds <paramref name="max"/>.</summary>
    public IDisposable? TryOpen(string key, int max)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= max)
                return null;
            _open[key] = open + 1;
        }

        return new Slot(this, key);
    }

    /// <summary>The refusal: 429 naming the setting that bounds it (<c>field</c>), with a <c>Retry-After</c> for clients that back off.</summary>
    public IResult Refuse(HttpContext context, int max)
    {
        context.Response.Headers.RetryAfter = "5";
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many open connections",
            detail: $"This key already holds {max} such connections on this copy of the hub ({Settings.EnvironmentName(setting)}): close one, or raise the setting.",
            extensions: new Dictionary<string, object?> { ["field"] = Settings.EnvironmentName(setting) });
    }

    void Release(string key)
    {
        lock (_open)
        {
            if (--_open[key] == 0)
                _open.Remove(key);
        }
    }

    sealed class Slot(ConnectionCap cap, string key) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                cap.Release(key);
        }
    }
}
