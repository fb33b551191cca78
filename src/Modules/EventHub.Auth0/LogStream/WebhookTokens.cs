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
    {
        _hashes = [.. options.Value.Tokens.Select(token => SHA256.HashData(Encoding.UTF8.GetBytes(token)))];
        _allowAnonymous = options.Value.AllowAnonymous && _hashes.Length == 0;
    }

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
