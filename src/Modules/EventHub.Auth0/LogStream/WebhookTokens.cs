using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.LogStream;

/// <summary>
/// Checks the <c>Authorization</c> header against every configured token (<c>Bearer x</c> or bare <c>x</c>).
/// Both sides are hashed first, so the comparison takes the same time whatever the lengths, and every token
/// is compared, so the time does not tell which one nearly matched.
/// </summary>
internal sealed class WebhookTokens
{
    readonly byte[][] _hashes;
    readonly bool _allowAnonymous;

    public WebhookTokens(IOptions<Auth0Options> options)
        : this(options.Value.Tokens, options.Value.AllowAnonymous)
    {
    }

    /// <summary>Another token list, e.g. the Event Streams endpoint's own (not public, so the container keeps using the one above).</summary>
    internal WebhookTokens(IEnumerable<string> tokens, bool allowAnonymous)
    {
        _hashes = [.. tokens.Select(token => SHA256.HashData(Encoding.UTF8.GetBytes(token)))];
        _allowAnonymous = allowAnonymous && _hashes.Length == 0;
    }

    /// <summary>Whether any token is configured (or anonymous posts are allowed): without either, nothing is authorized.</summary>
    public bool IsConfigured => _hashes.Length > 0 || _allowAnonymous;

    public bool IsAuthorized(string? authorization)
    {
        if (_allowAnonymous)
            return true;
        if (string.IsNullOrEmpty(authorization))
            return false;

        var presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization.AsSpan(7).Trim()
            : authorization.AsSpan().Trim();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented.ToString());
        SHA256.HashData(bytes, hash);

        var match = false;
        foreach (var expected in _hashes)
            match |= CryptographicOperations.FixedTimeEquals(hash, expected);
        return match;
    }
}
