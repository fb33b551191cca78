using Serilog.AspNetCore;
using Serilog.Events;

namespace EventHub.Host.Hosting;

/// <summary>
/// One line per request: method, path, status, time, and the trace id that ties it to the spans of the event. The
/// client's IP address is personal data: it is logged only with <c>EventHub__Logging__IncludePii=true</c>. Probes and
/// scrapes that succeed are logged at Verbose, so the log shows events, not the load balancer.
/// </summary>
internal sealed class RequestLogging(bool includePii)
{
    public void Configure(RequestLoggingOptions options)
    {
        options.GetLevel = (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : Telemetry.IsPlumbing(context.Request.Path) && context.Response.StatusCode < 400 ? LogEventLevel.Verbose
            : LogEventLevel.Information;
        if (includePii)
            options.EnrichDiagnosticContext = (diagnostics, context) => diagnostics.Set("ClientIp", context.Connection.RemoteIpAddress?.ToString());
    }
}
