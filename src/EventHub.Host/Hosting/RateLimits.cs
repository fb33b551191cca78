using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventHub.Host.Hosting;

/// <summary>
/// ASP.NET Core rate limiting, chained: every request counts against its client IP, a request with a valid key against
/// that key too, and a dashboard login post against the IP's logins. Fixed windows, no queue: an excess request is
/// answered 429 with <c>Retry-After</c> at once. Probes, metrics and static assets are never limited. Runs after
/// authentication, so the key is known, and limits are per copy of the hub.
/// </summary>
internal static class RateLimits
{
    const string LoginPath = "/ui/login";

    public static IServiceCollection AddEventHubRateLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            var settings = limits.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Exempt(context)
                    ? RateLimitPartition.GetNoLimiter("")
                    : Window($"ip:{context.Connection.RemoteIpAddress}", settings.PerIp, settings.Window)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.User.Identity is { IsAuthenticated: true, Name: { } key } && !Exempt(context)
                    ? Window($"key:{key}", settings.PerKey, settings.Window)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
                    ? Window($"login:{context.Connection.RemoteIpAddress}", settings.LoginsPerMinute, TimeSpan.FromMinutes(1))
                    : RateLimitPartition.GetNoLimiter("")));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                var context = rejected.HttpContext;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"This key or address made more requests than the hub allows (EventHub__Limits__*); retry after {seconds} s.",
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }).ExecuteAsync(context);
            };
        });
        return services;
    }

    static bool Exempt(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics") || context.Request.Path.StartsWithSegments("/ui/assets");

    static RateLimitPartition<string> Window(string partition, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}
