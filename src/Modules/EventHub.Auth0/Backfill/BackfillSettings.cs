using EventHub.Storage;
using Microsoft.Extensions.Configuration;

namespace EventHub.Auth0.Backfill;

/// <summary>Reads the mode before services are composed: whether the puller, its HTTP client and its health check exist at all.</summary>
internal static class BackfillSettings
{
    public const string ModeKey = "EventHub:Auth0:Backfill";

    // The section's own value is the short form (EventHub__Auth0__Backfill=Poll); the Mode property of the section, which
    // the options binder would otherwise take and this method then overwrite, is the same setting spelled out.
    const string ModePropertyKey = ModeKey + ":Mode";

    /// <summary>The mode set, or <see cref="BackfillMode.Gaps"/> when any Management API credential is set, else Off.</summary>
    public static BackfillMode ReadMode(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ModeKey]))
            return Settings.ReadEnum(configuration, ModeKey, BackfillMode.Off);
        if (!string.IsNullOrWhiteSpace(configuration[ModePropertyKey]))
            return Settings.ReadEnum(configuration, ModePropertyKey, BackfillMode.Off);
        var anyCredential = new[] { "Domain", "ClientId", "ClientSecret" }
            .Any(name => !string.IsNullOrWhiteSpace(configuration[$"{Auth0Options.Section}:{name}"]));
        return anyCredential ? BackfillMode.Gaps : BackfillMode.Off;
    }

    /// <summary>https://&lt;domain&gt;/, or the base address set for tests; always ends with a slash.</summary>
    public static Uri BaseAddress(Auth0Options options)
    {
        var text = string.IsNullOrWhiteSpace(options.Backfill.BaseAddress) ? $"https://{options.Domain}/" : options.Backfill.BaseAddress;
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    /// <summary>The Management API's audience is always the tenant's own, whatever address the requests go to.</summary>
    public static string Audience(Auth0Options options) => $"https://{options.Domain}/api/v2/";

    public static string Tenant(Auth0Options options) =>
        string.IsNullOrWhiteSpace(options.Backfill.Tenant) ? options.Domain!.Split('.')[0] : options.Backfill.Tenant;
}
