using System.Security.Cryptography;
using System.Text;
using EventHub.Contracts.Auth0;
using MassTransit;

namespace EventHub.Security.Detection;

/// <summary>
/// Saga correlation ids and alert ids, derived from what they are about (name-based, SHA-256), so every host copy and
/// every redelivery arrives at the same instance and the same alert.
/// </summary>
internal static class SecurityKeys
{
    /// <summary>The account an entry is about: <c>user_id</c>, else the connection and the user name (case-insensitive).</summary>
    public static string? User(IAuth0LogEvent entry) =>
        !string.IsNullOrWhiteSpace(entry.UserId) ? entry.UserId
        : !string.IsNullOrWhiteSpace(entry.UserName) ? $"{entry.Connection}/{entry.UserName.Trim().ToLowerInvariant()}"
        : null;

    /// <summary>
    /// The broker delivered this message before and it was not acknowledged (the process died, say). Not an in-process
    /// retry: a retry after a version conflict may be a copy of the trigger that raced the original, and must stay quiet.
    /// </summary>
    public static bool Redelivered(ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRedeliveryCount() > 0;

    public static string? Ip(IAuth0LogEvent entry) => string.IsNullOrWhiteSpace(entry.Ip) ? null : entry.Ip.Trim();

    /// <summary>Guid.Empty when the entry has no key; such entries are dropped before correlation (<c>KeyedEntriesFilter</c>).</summary>
    public static Guid Correlate(string detection, string source, string? key) =>
        key is null ? Guid.Empty : NameBasedGuid($"{detection}\n{source}\n{key}");

    public static string AlertId(string detection, Guid correlationId, string discriminator) =>
        "sec-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{detection}\n{correlationId:D}\n{discriminator}")).AsSpan(0, 16));

    static Guid NameBasedGuid(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("eventhub:security:" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
