using System.Net;
using EventHub.Composition;

namespace EventHub.Host.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the proxies the operator names
/// (<c>EventHub__ForwardedHeaders__KnownProxies__N</c>: addresses, <c>__KnownNetworks__N</c>: CIDR ranges) and from no one
/// else. ASP.NET trusts loopback by default; here nothing is trusted unless named, since a header anyone can send would
/// let a client choose the IP its rate limit and log line are counted under.
/// </summary>
internal static class ForwardedHeaders
{
    const string Section = "EventHub:ForwardedHeaders";

    public static WebApplicationBuilder AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in builder.Configuration.GetSection($"{Section}:KnownProxies").GetChildren())
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy.Value?.Trim(), out var address)
                ? address
                : throw Settings.Invalid(proxy.Path, $"'{proxy.Value}' is not an IP address: name the proxy's address, such as 10.0.0.5"));
        }

        foreach (var network in builder.Configuration.GetSection($"{Section}:KnownNetworks").GetChildren())
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Value?.Trim(), out var range)
                ? range
                : throw Settings.Invalid(network.Path, $"'{network.Value}' is not a network: use CIDR notation, such as 10.0.0.0/8"));
        }

        builder.Services.AddSingleton(new TrustedProxies(options));
        return builder;
    }

    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<TrustedProxies>().Options;
        if (trusted.KnownProxies.Count > 0 || trusted.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders(trusted);
        return app;
    }

    sealed record TrustedProxies(ForwardedHeadersOptions Options);
}
