using MassTransit.Logging;
using MassTransit.Monitoring;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventHub.Host.Hosting;

/// <summary>
/// OpenTelemetry for the whole host: traces from the HTTP request through MassTransit's publish and consume to the
/// outgoing webhook call, and metrics (HTTP, MassTransit, the runtime, every <c>EventHub.*</c> meter) scraped at <c>/metrics</c>.
/// OTLP export is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable. See docs/adr/0009.
/// </summary>
internal static class Telemetry
{
    public const string ServiceName = "eventhub";
    public const string MetricsPath = "/metrics";

    /// <summary>Modules name their meters and activity sources <c>EventHub.&lt;Module&gt;</c>; the wildcard takes them all.</summary>
    const string OwnInstrumentation = "EventHub.*";

    /// <summary>The runtime's own meter (.NET 9+): GC pauses and heap, thread pool queue, CPU, what explains a latency tail.</summary>
    const string Runtime = "System.Runtime";

    public static WebApplicationBuilder AddEventHubTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName,
                serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(OwnInstrumentation)
                    .AddSource(DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsPlumbing(context.Request.Path))
                    .AddHttpClientInstrumentation(options =>
                    {
                        // Webhook URLs often carry their own secret in the path (Slack, Teams, ...): spans keep the origin only.
                        options.EnrichWithHttpRequestMessage = (activity, request) => activity.SetTag("url.full", Origin(request.RequestUri));
                    });
                if (otlp)
                    tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OwnInstrumentation)
                    .AddMeter(InstrumentationOptions.MeterName)
                    .AddMeter(Runtime)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter();
            });
        return builder;
    }

    public static WebApplication MapEventHubTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Health probes and scrapes come every few seconds and say nothing about events: no spans for them.</summary>
    public static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);

    static string? Origin(Uri? uri) => uri is null ? null : uri.GetLeftPart(UriPartial.Authority) + "/";
}
