using System.Globalization;
using System.Net;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// How long to wait after a 429 (or a 503): until <c>X-RateLimit-Reset</c> (Unix seconds, Auth0's Management API sends
/// it with every answer), else <c>Retry-After</c> (seconds or a date), else null and the retry's own backoff applies.
/// </summary>
internal static class RateLimitDelay
{
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);

    public static TimeSpan? For(HttpResponseMessage? response, DateTimeOffset now)
    {
        if (response is null || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            return null;

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var resets)
            && long.TryParse(resets.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var resetSeconds))
            return Clamp(DateTimeOffset.FromUnixTimeSeconds(resetSeconds) - now);

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return Clamp(delta);
            if (retryAfter.Date is { } date)
                return Clamp(date - now);
        }

        return null;
    }

    // A reset already past still deserves a breath; one far away is capped so a stop is never held for long.
    static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait > Longest ? Longest : wait;
}
