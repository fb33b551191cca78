using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace EventHub.Access;

/// <summary>
/// How the dashboard calls the hub's API for the key a person logged in with, without holding that key's secret: a
/// token naming the key, protected by Data Protection (whose key ring every copy shares) and valid for one minute, sent
/// as <see cref="HeaderName"/> instead of the secret. Only the host can make one; the API's checks then apply to the key
/// by name, as they would to its secret (docs/adr/0018).
/// </summary>
public sealed class KeyDelegation(IDataProtectionProvider provider)
{
    public const string HeaderName = "X-EventHub-Delegation";
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("EventHub.KeyDelegation").ToTimeLimitedDataProtector();

    public string Issue(string keyName) => _protector.Protect(keyName, Lifetime);

    /// <summary>The key name in a token this hub issued less than a minute ago; null for anything else.</summary>
    public string? Read(string token)
    {
        try
        {
            return _protector.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
