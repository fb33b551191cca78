using System.Net;
using EventHub.TestSupport;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// Behind a TLS-terminating proxy: the login cookie is <c>Secure</c> when a proxy the operator named says the request
/// was https, and only then. Failed logins are logged with the client's address only when personal data may be logged.
/// </summary>
public sealed class ProxyAndLoginLogTests(DashboardHub hub)
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("EventHub__ForwardedHeaders__KnownProxies__0", "127.0.0.1")]
    [InlineData("EventHub__ForwardedHeaders__KnownNetworks__0", "127.0.0.0/8")]
    public async Task A_named_proxys_https_makes_the_login_cookie_secure_and_its_client_address_is_the_clients(string setting, string value)
    {
        var settings = DashboardHub.Settings();
        settings[setting] = value;
        settings["EventHub__Logging__IncludePii"] = "true";
        await using var host = await HostProcess.StartAsync(settings);

        var cookie = await LoginCookieAsync(host.BaseAddress, forwardedProto: "https");
        await FailLoginAsync(host.BaseAddress);

        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        await host.WaitForOutputAsync("Dashboard login refused: unknown API key, from 203.0.113.9");
    }

    [Fact]
    public async Task A_forwarded_https_from_a_proxy_nobody_named_changes_nothing()
    {
        var cookie = await LoginCookieAsync(hub.BaseAddress, forwardedProto: "https");

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("EventHub__ForwardedHeaders__KnownProxies__0", "proxy.internal")]
    [InlineData("EventHub__ForwardedHeaders__KnownNetworks__1", "10.0.0.0/40")]
    public async Task A_bad_proxy_setting_stops_the_host_naming_it(string setting, string value)
    {
        var settings = DashboardHub.Settings();
        settings[setting] = value;

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($"EventHub cannot start: {setting} '{value}' is not", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_login_is_logged_with_the_clients_address_only_when_personal_data_may_be_logged()
    {
        var settings = DashboardHub.Settings();
        settings["EventHub__Logging__IncludePii"] = "true";
        await using var withPii = await HostProcess.StartAsync(settings);

        await FailLoginAsync(withPii.BaseAddress);
        await FailLoginAsync(hub.BaseAddress);

        // 127.0.0.1: the X-Forwarded-For the request carried comes from no proxy the host was told to believe.
        await withPii.WaitForOutputAsync("Dashboard login refused: unknown API key, from 127.0.0.1");
        await hub.Host.WaitForOutputAsync("Dashboard login refused");
        Assert.All(
            hub.Host.Output.Split('\n').Where(line => line.Contains("Dashboard login refused", StringComparison.Ordinal)),
            line => Assert.DoesNotContain("127.0.0.1", line, StringComparison.Ordinal));
    }

    static async Task FailLoginAsync(Uri address)
    {
        using var session = new UiSession(address);
        var token = await session.TokenFromAsync("/ui/login");
        session.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        using var refused = await session.PostFormAsync("/ui/login", new() { ["key"] = "not-a-key", ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>The raw Set-Cookie of the login cookie, the login posted as if through a proxy that terminated TLS.</summary>
    static async Task<string> LoginCookieAsync(Uri address, string forwardedProto)
    {
        using var session = new UiSession(address);
        var token = await session.TokenFromAsync("/ui/login");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = DashboardHub.AdminKey, ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await session.Http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("eventhub_ui=", StringComparison.Ordinal));
    }
}
