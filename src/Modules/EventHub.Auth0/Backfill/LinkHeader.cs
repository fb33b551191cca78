using System.Net.Http.Headers;

namespace EventHub.Auth0.Backfill;

/// <summary>Reads <c>Link: &lt;https://tenant/api/v2/logs?from=...&amp;take=100&gt;; rel="next"</c> (RFC 8288).</summary>
internal static class LinkHeader
{
    /// <summary>
    /// The path and query of the <c>next</c> link, or null. Only the path and query are kept: the next request goes to
    /// the configured address, so a link can never send the bearer token to another host.
    /// </summary>
    public static string? NextPathAndQuery(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
            return null;
        foreach (var value in values)
        {
            foreach (var link in value.Split(','))
            {
                var parts = link.Split(';');
                var target = parts[0].Trim();
                if (target.Length < 2 || target[0] != '<' || target[^1] != '>')
                    continue;
                if (!parts.Skip(1).Any(IsRelNext))
                    continue;
                var url = target[1..^1];
                if (Uri.TryCreate(url, UriKind.Absolute, out var absolute))
                    return absolute.PathAndQuery.TrimStart('/');
                return url.TrimStart('/');
            }
        }

        return null;
    }

    static bool IsRelNext(string parameter)
    {
        var pair = parameter.Split('=', 2);
        return pair.Length == 2
            && pair[0].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase)
            && pair[1].Trim().Trim('"').Split(' ').Contains("next", StringComparer.OrdinalIgnoreCase);
    }
}
