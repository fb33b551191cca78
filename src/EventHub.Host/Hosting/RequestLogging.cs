using Serilog.AspNetCore;
using Serilog.Events;

namespace EventHub.Host.Hosting;

/// <summary>
/// One line per request: method, path, status, time, and the trace id that ties it to the spans of the event. The
/// client's IP address is personal data: it is logged only with <c>EventHub__Logging__IncludePii=true</c>. Probes and
/// scrapes that succeed are logged at Verbose, so the log shows events, not the load balancer. The path in the line is
/// the request's with control characters replaced (a %0A in a URL would otherwise start a forged line in text logs).
/// </summary>
internal sealed class RequestLogging(bool includePii)
{
    const int MaxPathLength = 512;

    public void Configure(RequestLoggingOptions options)
    {
        options.MessageTemplate = "HTTP {RequestMethod} {Path} responded {StatusCode} in {Elapsed:0.0000} ms";
        options.GetLevel = (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : Telemetry.IsPlumbing(context.Request.Path) && context.Response.StatusCode < 400 ? LogEventLevel.Verbose
            : LogEventLevel.Information;
        options.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("Path", Clean(context.Request.Path.Value ?? ""));
            if (includePii)
                diagnostics.Set("ClientIp", context.Connection.RemoteIpAddress?.ToString());
        };
    }

    internal static string Clean(string path)
    {
        var clean = string.Create(Math.Min(path.Length, MaxPathLength), path, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
        });
        return path.Length > MaxPathLength ? clean + "…" : clean;
    }
}
