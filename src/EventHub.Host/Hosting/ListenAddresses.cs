using System.Globalization;
using System.Net;

namespace EventHub.Host.Hosting;

/// <summary>
/// What a public address (<c>ASPNETCORE_URLS</c> or <c>--urls</c>, <c>ASPNETCORE_HTTP_PORTS</c>,
/// <c>ASPNETCORE_HTTPS_PORTS</c>) must look like before Kestrel reads it. Kestrel reads what it cannot parse as something
/// else: in <c>http://127.0.0.1:notaport</c> it takes <c>127.0.0.1:notaport</c> for a host name, and a host name that is
/// not localhost means every interface, on the scheme's port 80. A typo would open the hub to the network; refused at
/// startup instead, naming the setting.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>Null when Kestrel reads <paramref name="url"/> as written; otherwise what is wrong with it.</summary>
    public static string? ProblemWith(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            return $"'{url}' is not an address to listen on: use http://host:port or https://host:port";

        var rest = url[(schemeEnd + 3)..];
        // A Unix socket (http://unix:/run/eventhub.sock): Kestrel takes the rest as a path.
        if (rest.StartsWith("unix:/", StringComparison.OrdinalIgnoreCase))
            return null;

        if (Authority(rest) is not { } authority)
            return $"'{url}' has no valid IPv6 address: write it in brackets, as http://[::1]:5080";
        var (host, port) = authority;
        if (port is not null && PortProblem(port) is { } portProblem)
            return $"'{url}' {portProblem}";
        if (!IsHost(host))
            return $"'{url}' has '{host}' for a host: use an IP address, localhost, a host name, or * for every interface";
        return null;
    }

    /// <summary>The host and port of an address <see cref="ProblemWith"/> accepts; the scheme's port when it names none.</summary>
    public static (string Host, int Port) HostAndPort(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var (host, port) = Authority(url[(schemeEnd + 3)..]) ?? throw new ArgumentException($"'{url}' is not an address to listen on", nameof(url));
        return (host, int.TryParse(port, CultureInfo.InvariantCulture, out var number) ? number : url.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80);
    }

    /// <summary>
    /// The host and the port's text (null when there is none) of what follows the scheme, as Kestrel splits them: the port
    /// after the last colon, but after the closing bracket of an IPv6 address. Null for a bracket left open.
    /// </summary>
    static (string Host, string? Port)? Authority(string afterScheme)
    {
        var authority = afterScheme.Split('/')[0];
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < authority.Length && authority[close + 1] != ':'))
                return null;
            return (authority[..(close + 1)], close + 1 < authority.Length ? authority[(close + 2)..] : null);
        }

        var colon = authority.LastIndexOf(':');
        return colon < 0 ? (authority, null) : (authority[..colon], authority[(colon + 1)..]);
    }

    /// <summary>Null when <paramref name="port"/> is a TCP port Kestrel can listen on (0: any free one).</summary>
    public static string? PortProblem(string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
            ? null
            : $"has '{port}' for a port: use a number from 0 to 65535";

    static bool IsHost(string host)
    {
        if (host is "*" or "+" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return false;
        if (host.StartsWith('['))
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        // A colon left in the host is a second port (http://127.0.0.1:5000:6000), which Kestrel would read as a host name.
        return !host.Contains(':', StringComparison.Ordinal)
            && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns);
    }
}
