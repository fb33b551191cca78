using EventHub.Access;
using EventHub.Composition;
using EventHub.Storage;
using EventHub.Storage.DataProtection;
using EventHub.Storage.Startup;
using Microsoft.AspNetCore.Authentication;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EventHub.Host.Hosting;

internal static class HostingModule
{
    const string JsonLogsKey = "EventHub:Logging:Json";
    const string IncludePiiKey = "EventHub:Logging:IncludePii";

    public static WebApplicationBuilder AddEventHubHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ManagementPort.Configure(builder));

        var json = Settings.ReadBool(builder.Configuration, JsonLogsKey, false);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
                // HttpClient logs each call at Information with its full URL, which may hold a webhook receiver's secret
                // (Slack, Teams); retries (Polly, the Auth0 Management API) still show as warnings.
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                // Data Protection reads its key ring (in the database) at startup and logs a failure with its stack; while
                // a database started after the hub comes up that is the expected wait (docs/adr/0013), said once in one
                // line by the schema migration, not an error.
                .Filter.ByExcluding(e => e.Exception is DatabaseUnavailableException && e.Properties.TryGetValue("SourceContext", out var source)
                    && source.ToString().Contains("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal))
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (json)
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {TraceId}{NewLine}{Exception}");
        });

        builder.Services.AddSingleton(new RequestLogging(Settings.ReadBool(builder.Configuration, IncludePiiKey, false)));
        builder.Services.AddSingleton(new ApiKeys(builder.Configuration, builder.Environment.IsDevelopment()));
        builder.Services.AddDatabaseKeyRing();
        builder.AddForwardedHeaders();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddEventHubRateLimits();
        // Minimal APIs answer a query value of the wrong type with a bare 400 unless they throw: throwing lets the
        // problem document below say which parameter was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Kestrel and parameter binding report bad requests (body too large, a query value of the wrong type) as
            // exceptions: answer them with their own status and say what was wrong, never a 500.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
                context.ProblemDetails.Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request";
                if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
                    context.ProblemDetails.Extensions["field"] = "body";
            }
        });
        DatabaseUnavailable.AddDatabaseUnavailable(builder.Services);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityTransformer>());
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedService<StartupNotice>();
        builder.AddEventHubStorage();
        builder.AddEventHubTelemetry();
        return builder;
    }

    public static WebApplication UseEventHubHost(this WebApplication app)
    {
        // First: everything after it (the request log, rate limits per client, the cookie's Secure flag) sees the client
        // and scheme a trusted proxy reports.
        app.UseTrustedForwardedHeaders();
        app.Services.GetRequiredService<ManagementPort>().Use(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || context.ExceptionHandledBy == Microsoft.AspNetCore.Diagnostics.ExceptionHandledType.ExceptionHandlerService,
        });
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(app.Services.GetRequiredService<RequestLogging>().Configure);
        app.UseClientAbort();
        app.UseRequestTextGuard();
        DatabaseUnavailable.UseDatabaseGate(app);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapPersonalDataEndpoint();
        app.MapEventHubTelemetry();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        return app;
    }
}
