using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventHub.Client;

/// <summary>
/// Verifies webhook deliveries from the hub (Standard Webhooks): <c>webhook-signature</c> holds one or more
/// <c>v1,&lt;base64 HMAC-SHA256&gt;</c> over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the listener's
/// <c>whsec_</c> secret; during a secret rotation it carries a signature per secret, and one match is enough.
/// </summary>
public static class Webhooks
{
    const string SecretPrefix = "whsec_";

    /// <summary>The tolerance of the Standard Webhooks reference libraries: 5 minutes either way.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Whether a delivery is authentic and recent.</summary>
    /// <param name="secret">The listener's secret (<c>whsec_...</c>, as the registration that created or rotated it answered: the hub shows it only then).</param>
    /// <param name="headers">The request's headers; names are matched case-insensitively (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).</param>
    /// <param name="body">The request body exactly as received (bytes, not re-serialised JSON).</param>
    /// <param name="tolerance">How far <c>webhook-timestamp</c> may be from now; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="now">The current time; the system clock when null (for tests).</param>
    /// <returns>True when a signature matches and the timestamp is within the tolerance.</returns>
    public static bool Verify(string secret, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, TimeSpan? tolerance = null, DateTimeOffset? now = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        ArgumentNullException.ThrowIfNull(headers);
        string? id = null, timestamp = null, signatures = null;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("webhook-id", StringComparison.OrdinalIgnoreCase))
                id = value;
            else if (name.Equals("webhook-timestamp", StringComparison.OrdinalIgnoreCase))
                timestamp = value;
            else if (name.Equals("webhook-signature", StringComparison.OrdinalIgnoreCase))
                signatures = value;
        }

        if (id is null || signatures is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((sent - (now ?? DateTimeOffset.UtcNow)).Duration() > (tolerance ?? DefaultTolerance))
            return false;

        var expected = Hash(secret, id, timestamp!, body);

        Span<byte> candidate = stackalloc byte[64];
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!signature.StartsWith("v1,", StringComparison.Ordinal))
                continue;
            if (Convert.TryFromBase64String(signature[3..], candidate, out var length) && CryptographicOperations.FixedTimeEquals(candidate[..length], expected))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The <c>webhook-signature</c> value the hub would send: for code that passes deliveries on (as
    /// <c>eventhub listen --forward-to</c> does) or that tests a receiver.
    /// </summary>
    /// <param name="secret">The listener's secret (<c>whsec_...</c>).</param>
    /// <param name="id">The <c>webhook-id</c>: the event's id.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c>: Unix seconds.</param>
    /// <param name="body">The exact body sent.</param>
    /// <returns><c>v1,</c> and the base64 HMAC-SHA256.</returns>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return "v1," + Convert.ToBase64String(Hash(secret, id, timestamp.ToString(CultureInfo.InvariantCulture), body));
    }

    static byte[] Hash(string secret, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        }
        catch (FormatException)
        {
            throw new ArgumentException("The secret is not a Standard Webhooks secret (whsec_ and base64).", nameof(secret));
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, signed);
    }

    /// <summary>Whether a delivery is authentic and recent; the body as a UTF-8 string.</summary>
    /// <param name="secret">The listener's secret.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="tolerance">How far <c>webhook-timestamp</c> may be from now; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="now">The current time; the system clock when null.</param>
    /// <returns>True when a signature matches and the timestamp is within the tolerance.</returns>
    public static bool Verify(string secret, IEnumerable<KeyValuePair<string, string>> headers, string body, TimeSpan? tolerance = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(secret, headers, Encoding.UTF8.GetBytes(body), tolerance, now);
    }
}
