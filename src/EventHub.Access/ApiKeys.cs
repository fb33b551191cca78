using System.Security.Cryptography;
using System.Text;
using EventHub.Composition;
using EventHub.Contracts;
using Microsoft.Extensions.Configuration;

namespace EventHub.Access;

/// <summary>
/// The configured API keys (<c>EventHub__Keys__&lt;name&gt;</c>), their secrets held only as SHA-256 hashes. A key
/// is one secret or several for a rotation (<c>__0</c>, <c>__1</c>), plus <c>__Scopes__N</c>, <c>__Emit__N</c>
/// and <c>__Read__N</c>. Anything missing or unknown stops the host (fail closed): a key without scopes is refused
/// rather than given none or all of them.
/// </summary>
public sealed class ApiKeys
{
    public const string Section = "EventHub:Keys";

    /// <summary>The shortest secret accepted outside Development: 32 characters, about 190 bits if random.</summary>
    public const int MinSecretLength = 32;

    // The sources of what the hub itself publishes (Auth0 log events, its security alerts): a key of that name would
    // emit events indistinguishable from the hub's.
    static readonly string[] ReservedNames = ["auth0", "eventhub.security"];

    readonly (ApiKey Key, byte[] Hash)[] _secrets;
    readonly Dictionary<string, ApiKey> _byName = new(StringComparer.Ordinal);

    public ApiKeys(IConfiguration configuration, bool development)
    {
        var secrets = new List<(ApiKey, byte[])>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var name = section.Key.ToLowerInvariant();
            var path = $"{Section}:{section.Key}";
            if (!EventName.IsValid(name) || name.Length > 64)
                throw Settings.Invalid(path, "has an invalid name: use 1 to 64 letters, digits, '_', '-' or '.' (the name becomes the source of the events the key emits)");
            if (ReservedNames.Contains(name))
                throw Settings.Invalid(path, $"has a reserved name: '{name}' is the source of events the hub publishes itself");

            var children = section.GetChildren().ToList();
            if (children.FirstOrDefault(c => !(c.Key.All(char.IsAsciiDigit) || c.Key is "Scopes" or "Emit" or "Read")) is { } unknown)
                throw Settings.Invalid($"{path}:{unknown.Key}", "is not a key setting: use __Scopes__N, __Emit__N, __Read__N, or __0, __1 for the secrets of a rotation");

            var key = new ApiKey(name, ReadScopes(section, path), ReadPatterns(section, path, "Emit"), ReadPatterns(section, path, "Read"));
            _byName[name] = key;
            foreach (var (secretPath, secret) in ReadSecrets(section, path, children))
            {
                if (string.IsNullOrWhiteSpace(secret))
                    throw Settings.Invalid(secretPath, "is empty: give the key a secret value");
                if (!development && secret.Length < MinSecretLength)
                    throw Settings.Invalid(secretPath, $"is too short: use at least {MinSecretLength} random characters (openssl rand -hex 32)");
                secrets.Add((key, SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
            }
        }

        _secrets = [.. secrets];
    }

    public int Count => _secrets.Length;

    /// <summary>The key of this name, or null.</summary>
    public ApiKey? Named(string? name) => name is not null && _byName.TryGetValue(name, out var key) ? key : null;

    /// <summary>The key whose secret this is, or null. Compares against every secret, in fixed time each.</summary>
    public ApiKey? Find(string secret) => FindHash(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// What a dashboard session remembers of the secret it logged in with: its SHA-256, never the secret, so the session
    /// ends once that secret is no longer configured (a rotation finished, a leaked secret withdrawn).
    /// </summary>
    public static string Fingerprint(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The key one of whose current secrets has this <see cref="Fingerprint"/>, or null.</summary>
    public ApiKey? FindFingerprint(string fingerprint)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        return Convert.TryFromBase64String(fingerprint, hash, out var written) && written == hash.Length ? FindHash(hash) : null;
    }

    ApiKey? FindHash(ReadOnlySpan<byte> hash)
    {
        ApiKey? found = null;
        foreach (var (key, expected) in _secrets)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = key;
        }

        return found;
    }

    // One secret (EventHub__Keys__orders=...) or several for a rotation (EventHub__Keys__orders__0, __1): the name,
    // and so the source of what the key emits, stays the same while clients move to the new secret.
    static List<(string Path, string? Secret)> ReadSecrets(IConfigurationSection section, string path, List<IConfigurationSection> children)
    {
        var rotation = children.Where(c => c.Key.All(char.IsAsciiDigit)).Select(c => ($"{path}:{c.Key}", c.Value)).ToList();
        if (!string.IsNullOrEmpty(section.Value))
            rotation.Insert(0, (path, section.Value));
        return rotation.Count > 0 ? rotation : throw Settings.Invalid(path, "is empty: give the key a secret value");
    }

    static HashSet<string> ReadScopes(IConfigurationSection section, string path)
    {
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in section.GetSection("Scopes").GetChildren())
        {
            var value = scope.Value?.Trim().ToLowerInvariant();
            if (value is null || !Scopes.All.Contains(value))
                throw Settings.Invalid($"{path}:Scopes:{scope.Key}", $"'{scope.Value}' is not a scope: use {string.Join(", ", Scopes.All)}");
            scopes.Add(value);
        }

        return scopes.Count > 0
            ? scopes
            : throw Settings.Invalid($"{path}:Scopes:0", $"is missing: say what the key may do ({string.Join(", ", Scopes.All)}); a key without scopes is refused, not given all of them");
    }

    static List<TopicPattern> ReadPatterns(IConfigurationSection section, string path, string kind)
    {
        var patterns = new List<TopicPattern>();
        foreach (var child in section.GetSection(kind).GetChildren())
        {
            if (!TopicPattern.TryParse(child.Value, out var pattern, out var error))
                throw Settings.Invalid($"{path}:{kind}:{child.Key}", $"'{child.Value}' {error}: use an event name or a topic pattern such as order.* or billing.#");
            patterns.Add(pattern!);
        }

        return patterns;
    }
}
