using System.Security.Cryptography;
using System.Text;
using EventHub.Storage;

namespace EventHub.Host.Hosting;

/// <summary>The configured API keys, by name, held only as SHA-256 hashes.</summary>
internal sealed class ApiKeys
{
    public const string Section = "EventHub:Keys";

    readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeys(IConfiguration configuration)
    {
        var keys = new List<(string, byte[])>();
        foreach (var key in configuration.GetSection(Section).GetChildren())
        {
            if (!Contracts.EventName.IsValid(key.Key.ToLowerInvariant()) || key.Key.Length > 64)
                throw Settings.Invalid($"{Section}:{key.Key}", "has an invalid name: use 1 to 64 letters, digits, '_', '-' or '.' (the name becomes the source of the events the key emits)");

            // One secret (EventHub__Keys__orders=...) or several for a rotation (EventHub__Keys__orders__0, __1): the name,
            // and so the source of what the key emits, stays the same while clients move to the new secret.
            var secrets = string.IsNullOrEmpty(key.Value) ? key.GetChildren().Select(c => (Path: $"{Section}:{key.Key}:{c.Key}", c.Value)).ToList() : [($"{Section}:{key.Key}", key.Value)];
            if (secrets.Count == 0)
                throw Settings.Invalid($"{Section}:{key.Key}", "is empty: give the key a secret value");
            foreach (var (path, secret) in secrets)
            {
                if (string.IsNullOrWhiteSpace(secret))
                    throw Settings.Invalid(path, "is empty: give the key a secret value");
                keys.Add((key.Key.ToLowerInvariant(), SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
            }
        }

        _keys = [.. keys];
    }

    public int Count => _keys.Length;

    /// <summary>The name of the key whose secret this is, or null. Compares against every key, in fixed time each.</summary>
    public string? Find(string secret)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        string? found = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = name;
        }

        return found;
    }
}
