using System.Net;
using System.Net.Sockets;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// Keeps webhook deliveries off the hub's own network unless allowed: loopback, private, link-local, unique-local and
/// unspecified addresses are refused, at registration and again at connect time (a DNS name may change its answer).
/// </summary>
internal static class TargetGuard
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;

        var b = address.GetAddressBytes();
        return b[0] == 10
            || b[0] == 0
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] >= 224;
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
            ? "points at a loopback, private or link-local address (set EventHub__Listeners__AllowPrivateTargets=true to allow it)"
            : null;
    }
}
