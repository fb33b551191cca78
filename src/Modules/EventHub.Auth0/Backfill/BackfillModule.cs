using EventHub.Access;
using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EventHub.Auth0.Backfill;

/// <summary>The backfill's part of the Auth0 module: its state always (the webhook records into it), the puller only when on.</summary>
internal static class BackfillModule
{
    public static IHostApplicationBuilder AddBackfill(this IHostApplicationBuilder builder)
    {
        var mode = HubSwitches.Of(builder).Backfill;
        builder.Services.AddSingleton(BackfillSchema.V1);
        builder.Services.AddSingleton<BackfillStore>();
        builder.Services.AddSingleton<StreamedLogs>();
        builder.Services.AddSingleton<IBackfillStatusReader, BackfillStatusReader>();
        if (mode == BackfillMode.Off)
            return builder;

        builder.Services.AddSingleton<ManagementApi>();
        builder.Services.AddSingleton<BackfillRunner>();
        builder.Services.AddSingleton<BackfillService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BackfillService>());
        builder.Services.AddHealthChecks().AddCheck<BackfillHealthCheck>("auth0-backfill", tags: ["backfill"]);
        builder.Services.AddHttpClient(ManagementApi.HttpClientName, (services, http) =>
            {
                http.BaseAddress = BackfillSettings.BaseAddress(services.GetRequiredService<IOptions<Auth0Options>>().Value);
                // The resilience pipeline below bounds each attempt and the whole call; 429 waits may be long.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("auth0-management", (pipeline, context) =>
            {
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddTimeout(TimeSpan.FromMinutes(10));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 6,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    // Auth0 says when its bucket refills (X-RateLimit-Reset); that beats Retry-After and any backoff.
                    ShouldRetryAfterHeader = false,
                    DelayGenerator = arguments => ValueTask.FromResult(RateLimitDelay.For(arguments.Outcome.Result, time.GetUtcNow())),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(30));
            });
        return builder;
    }

    public static IEndpointRouteBuilder MapBackfillEndpoints(this IEndpointRouteBuilder app)
    {
        var backfill = app.MapGroup("/v1/auth0/backfill").WithTags("Auth0").RequireAuthorization();
        backfill.MapPost("/", BackfillEndpoints.RequestAsync)
            .WithName("RequestAuth0Backfill")
            .WithSummary("Pull Auth0 logs from the Management API now")
            .WithDescription("Body (optional): {\"from\": \"<log_id>\" or \"<ISO 8601 time>\"}; without from, from the checkpoint. Entries the Log Stream already delivered are not published again. 202 with the backfill's status; the run is visible with GET.")
            .Produces<BackfillStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .DisableAntiforgery()
            .RequireScope(Scopes.Admin);
        backfill.MapGet("/", BackfillEndpoints.GetAsync)
            .WithName("GetAuth0Backfill")
            .WithSummary("The backfill's checkpoint and the progress of its current or last run")
            .Produces<BackfillStatus>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireScope(Scopes.Auth0Read);
        return app;
    }
}
