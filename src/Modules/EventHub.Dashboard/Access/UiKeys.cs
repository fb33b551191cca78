using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace EventHub.Dashboard.Access;

/// <summary>
/// The API keys (<c>EventHub__Keys__&lt;name&gt;</c>) a person may log in with, held as SHA-256 hashes. Read from the
/// same settings the host's API authentication reads, because the module cannot reference the host; the host validates
/// the names and refuses to start on a bad one, so this only looks them up.
/// </summary>
internal sealed class UiKeys
{
    public const string Section = "EventHub:Keys";

    readonly (string Name, byte[] Hash)[] _keys;

    public UiKeys(IConfiguration configuration)
    {
        _keys = [.. configuration.GetSection(Section).GetChildren()
            .Where(k => !string.IsNullOrEmpty(k.Value))
            .Select(k => (k.Key.ToLowerInvariant(), SHA256.HashData(Encoding.UTF8.GetBytes(k.Value!))))];
        Names = _keys.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> Names { get; }

    /// <summary>The name of the key with this secret, or null; compares against every key in fixed time.</summary>
    public string? Find(string secret)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        string? found = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = name;
        }

        return found;
    }
}
