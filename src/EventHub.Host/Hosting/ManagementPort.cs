using System.Globalization;
using EventHub.Composition;

namespace EventHub.Host.Hosting;

/// <summary>
/// <c>EventHub__Management__Port</c>: when set, <c>/metrics</c>, <c>/health*</c>, <c>/docs</c> and <c>/openapi</c> are served
/// on that port only, on the same interface as the public address, and the public port answers 404 for them (and the
/// management port for everything else). A firewall or a Kubernetes Service can then expose the API without the
/// scrape, the probes and the API description. Unset: everything on the public port, as before.
/// </summary>
internal sealed class ManagementPort(int? port)
{
    public const string Key = "EventHub:Management:Port";
    const string DefaultUrl = "http://127.0.0.1:5080";

    static readonly string[] Paths = ["/health", Telemetry.MetricsPath, "/docs", "/openapi"];

    public int? Port { get; } = port;

    /// <summary>
    /// Sets the addresses the host listens on: the public ones (<c>ASPNETCORE_URLS</c>, <c>--urls</c>,
    /// <c>ASPNETCORE_HTTP_PORTS</c>, or <see cref="DefaultUrl"/>) and, last, the management port, so that the dashboard,
    /// which calls the first address, calls the public one.
    /// </summary>
    public static ManagementPort Configure(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var text = configuration[Key];
        var port = Read(text);
        var urls = PublicUrls(configuration);
        if (urls is null && port is null)
        {
            builder.WebHost.UseUrls(DefaultUrl);
            return new ManagementPort(null);
        }

        if (port is null)
            return new ManagementPort(null);

        var publicUrls = urls ?? [DefaultUrl];
        var hosts = publicUrls.Select(ListenAddresses.HostAndPort).ToList();
        if (hosts.Any(h => h.Port == port))
            throw Settings.Invalid(Key, $"'{text}' is the public port too: choose another port for /metrics, /health and /docs");
        builder.WebHost.UseUrls([.. publicUrls, $"http://{hosts[0].Host}:{port.Value.ToString(CultureInfo.InvariantCulture)}"]);
        return new ManagementPort(port);
    }

    public void Use(WebApplication app)
    {
        if (Port is not { } management)
            return;
        app.Use((context, next) =>
        {
            var onManagementPort = context.Connection.LocalPort == management;
            var managementPath = Paths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
            return onManagementPort == managementPath
                ? next(context)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found").ExecuteAsync(context);
        });
    }

    static int? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw Settings.Invalid(Key, $"'{text}' is not valid: use a TCP port from 1 to 65535, or leave it empty to serve everything on the public port");
    }

    /// <summary>
    /// The public URLs the settings give, or null when they give none. Each is checked first (<see cref="ListenAddresses"/>):
    /// one Kestrel would read as another address stops the host, naming the setting.
    /// </summary>
    static List<string>? PublicUrls(IConfiguration configuration)
    {
        if (Split(configuration["urls"]) is { Count: > 0 } urls)
        {
            foreach (var url in urls)
            {
                if (ListenAddresses.ProblemWith(url) is { } problem)
                    throw Settings.Invalid("ASPNETCORE_URLS (or --urls)", problem);
            }

            return urls;
        }

        var ports = Ports(configuration, "http_ports", "ASPNETCORE_HTTP_PORTS").Select(p => $"http://*:{p}")
            .Concat(Ports(configuration, "https_ports", "ASPNETCORE_HTTPS_PORTS").Select(p => $"https://*:{p}")).ToList();
        return ports.Count > 0 ? ports : null;
    }

    static List<string> Ports(IConfiguration configuration, string key, string setting)
    {
        var ports = Split(configuration[key]);
        foreach (var port in ports)
        {
            if (ListenAddresses.PortProblem(port) is { } problem)
                throw Settings.Invalid(setting, problem);
        }

        return ports;
    }

    static List<string> Split(string? value) =>
        [.. (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
