using System.Net;
using System.Net.Sockets;

namespace EventHub.Listeners.Webhooks;

/// <summary>
/// Keeps webhook deliveries off the hub's own network unless allowed: the ranges below are refused at registration and
/// again at connect time (a DNS name may change its answer). Besides loopback, private, link-local, unique-local,
/// multicast and unspecified addresses, they include the IPv6 forms that reach IPv4 through a translator (NAT64
/// <c>64:ff9b::/96</c> and <c>64:ff9b:1::/48</c>, 6to4 <c>2002::/16</c>, IPv4-compatible <c>::/96</c>), the IETF
/// protocol block <c>192.0.0.0/24</c>, benchmarking <c>198.18.0.0/15</c> and Azure's host endpoint
/// <c>168.63.129.16</c>: each can lead back into a private network or a cloud's metadata service.
/// </summary>
internal static class TargetGuard
{
    static readonly IPNetwork[] Blocked = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "168.63.129.16/32", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3",
        "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    }.Select(IPNetwork.Parse)];

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return Blocked.Any(network => network.Contains(address));
    }

    /// <summary>Null when the URL may be delivered to; otherwise why not.</summary>
    public static async Task<string?> CheckAsync(Uri url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (allowPrivate)
            return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "has a host name that does not resolve";
        }

        return addresses.Length == 0 || addresses.Any(IsPrivate)
            ? "points at a loopback, private, link-local or otherwise internal address (set EventHub__Listeners__AllowPrivateTargets=true to allow it)"
            : null;
    }
}
