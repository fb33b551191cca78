using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EventHub.Dashboard.Api;

/// <summary>
/// Where this process's own API answers: <c>EventHub__Ui__ApiUrl</c> when set, else the first address the server listens
/// on, with a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>) turned into loopback. Plain http is preferred:
/// the call never leaves the machine, and a development certificate would not be trusted by the client.
/// </summary>
internal sealed class HubAddress(IServer server, IOptions<UiOptions> options)
{
    Uri? _resolved;

    public Uri BaseAddress => _resolved ??= Resolve();

    Uri Resolve()
    {
        if (options.Value.ApiUrl is { } configured)
            return configured;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)).FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address the dashboard can call; set EventHub__Ui__ApiUrl.");
        var builder = new UriBuilder(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0")
            builder.Host = "127.0.0.1";
        else if (builder.Host is "[::]" or "::")
            builder.Host = "[::1]";
        return builder.Uri;
    }
}
