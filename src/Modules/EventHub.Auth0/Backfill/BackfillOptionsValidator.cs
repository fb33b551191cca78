using EventHub.Composition.Switches;

namespace EventHub.Auth0.Backfill;

/// <summary>Checked at startup only when backfill is on: the webhook alone needs none of these settings.</summary>
internal static class BackfillOptionsValidator
{
    public static IEnumerable<string> Validate(Auth0Options options, BackfillMode mode)
    {
        var backfill = options.Backfill;
        if (mode == BackfillMode.Off)
            yield break;

        var why = $"EventHub__Auth0__Backfill is {mode}";
        if (string.IsNullOrWhiteSpace(options.Domain))
            yield return $"EventHub__Auth0__Domain is required when {why}: set the tenant's host name, e.g. example.eu.auth0.com";
        else if (!IsHostName(options.Domain))
            yield return $"EventHub__Auth0__Domain '{options.Domain}' is not valid: use the tenant's host name, e.g. example.eu.auth0.com (no scheme, port or path)";
        if (string.IsNullOrWhiteSpace(options.ClientId))
            yield return $"EventHub__Auth0__ClientId is required when {why}: the client id of a Machine-to-Machine application granted read:logs";
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
            yield return $"EventHub__Auth0__ClientSecret is required when {why}: the secret of that Machine-to-Machine application";
        if (!string.IsNullOrWhiteSpace(backfill.BaseAddress) && !IsAllowedBaseAddress(backfill.BaseAddress))
            yield return $"EventHub__Auth0__Backfill__BaseAddress '{backfill.BaseAddress}' is not valid: use an absolute https URL (http only on a loopback address, for tests), or leave it unset for https://<Domain>/";
        if (backfill.GapsInterval < TimeSpan.FromSeconds(10) || backfill.GapsInterval > TimeSpan.FromDays(1))
            yield return $"EventHub__Auth0__Backfill__GapsInterval '{backfill.GapsInterval}' is not valid: use 00:00:10 to 1.00:00:00";
        if (backfill.PollInterval < TimeSpan.FromSeconds(1) || backfill.PollInterval > TimeSpan.FromHours(1))
            yield return $"EventHub__Auth0__Backfill__PollInterval '{backfill.PollInterval}' is not valid: use 00:00:01 to 01:00:00";
        if (backfill.InitialLookback < TimeSpan.Zero || backfill.InitialLookback > TimeSpan.FromDays(30))
            yield return $"EventHub__Auth0__Backfill__InitialLookback '{backfill.InitialLookback}' is not valid: use 00:00:00 to 30.00:00:00";
        if (backfill.PageSize is < 1 or > 100)
            yield return $"EventHub__Auth0__Backfill__PageSize '{backfill.PageSize}' is not valid: use 1 to 100";
    }

    static bool IsHostName(string domain) =>
        domain.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(domain) == UriHostNameType.Dns;

    static bool IsAllowedBaseAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.Query)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
