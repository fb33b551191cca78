using System.Security.Cryptography;
using System.Text;

namespace EventHub.Host.Bus;

/// <summary>The MessageId of a hub event on the wire, the same on every path that writes it (docs/adr/0002).</summary>
internal static class HubMessageIds
{
    /// <summary>A name-based GUID (SHA-256 of the event id, RFC 9562 version 8 layout): the same event id always gives the same MessageId.</summary>
    public static Guid For(string eventId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(eventId.Length) + Namespace.Length;
        var buffer = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        Namespace.CopyTo(buffer);
        var length = Namespace.Length + Encoding.UTF8.GetBytes(eventId, buffer[Namespace.Length..]);
        SHA256.HashData(buffer[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    static ReadOnlySpan<byte> Namespace => "eventhub:event-id:"u8;
}
