using Microsoft.AspNetCore.Http;

namespace EventHub.Publishing;

/// <summary>The 503 every ingress answers when its events were not all confirmed: a problem (RFC 9457) with <c>Retry-After</c>.</summary>
public static class PublishProblems
{
    /// <summary><paramref name="resend"/> tells this ingress's sender why sending the same request again is harmless.</summary>
    public static IResult Unavailable(int retryAfterSeconds, string what, string resend) => new RetryAfterResult(
        Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Broker unavailable",
            detail: $"The message broker did not confirm {what} in time. {resend}"),
        retryAfterSeconds);

    sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
