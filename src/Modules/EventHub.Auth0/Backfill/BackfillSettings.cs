namespace EventHub.Auth0.Backfill;

/// <summary>Where and as whom the backfill reaches the Management API; whether it runs at all is <c>HubSwitches.Backfill</c>.</summary>
internal static class BackfillSettings
{
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
