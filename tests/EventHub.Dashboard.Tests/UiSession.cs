using System.Net;
using System.Text.RegularExpressions;

namespace EventHub.Dashboard.Tests;

/// <summary>A browser-like HTTP session without a browser: its own cookies, no redirects followed, antiforgery tokens read from the forms.</summary>
internal sealed partial class UiSession : IDisposable
{
    readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };

    public UiSession(Uri baseAddress) => Http = new HttpClient(_handler) { BaseAddress = baseAddress };

    public HttpClient Http { get; }

    /// <summary>The antiforgery token of the first form on the page (and its cookie, now in the session).</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var html = await Http.GetStringAsync(path, TestContext.Current.CancellationToken);
        return TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}");
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task LoginAsync(string key)
    {
        var token = await TokenFromAsync("/ui/login");
        using var response = await PostFormAsync("/ui/login", new() { ["key"] = key, ["__RequestVerificationToken"] = token });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Login answered {(int)response.StatusCode}");
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
