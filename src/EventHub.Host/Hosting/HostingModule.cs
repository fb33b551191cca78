using EventHub.Storage;
using Microsoft.AspNetCore.Authentication;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EventHub.Host.Hosting;

internal static class HostingModule
{
    const string JsonLogsKey = "EventHub:Logging:Json";
    const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddEventHubHost(this WebApplicationBuilder builder)
    {
        if (!HasExplicitUrls(builder.Configuration))
            builder.WebHost.UseUrls(DefaultUrl);

        var json = ReadBool(builder.Configuration, JsonLogsKey);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (json)
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        });

        builder.Services.AddSingleton(new ApiKeys(builder.Configuration));
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityTransformer>());
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedService<StartupNotice>();
        builder.AddEventHubStorage();
        return builder;
    }

    public static WebApplication UseEventHubHost(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        return app;
    }

    static bool HasExplicitUrls(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"]);

    static bool ReadBool(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return false;
        return bool.TryParse(value, out var parsed)
            ? parsed
            : throw Settings.Invalid(key, $"'{value}' is not valid: use true or false");
    }
}
