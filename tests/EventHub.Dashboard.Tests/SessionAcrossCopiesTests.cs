using System.Globalization;
using System.Net;
using EventHub.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// Two host copies on one PostgreSQL and one RabbitMQ node behind a round-robin TCP balancer with no affinity: a
/// dashboard session made on one copy is good on the other, because the cookie holds no key and the Data Protection
/// keys that seal it are in the shared database (docs/adr/0018).
/// </summary>
public sealed class SessionAcrossCopiesTests(DashboardHub hub) : IAsyncLifetime
{
    const string RotatedViewerKey = "viewer-rotated-0123456789abcdef0123456";

    RabbitMqNode? _node;
    PostgresCluster? _postgres;
    HostProcess? _first;
    HostProcess? _second;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    HostProcess First => _first!;

    HostProcess Second => _second!;

    public async ValueTask InitializeAsync()
    {
        _node = await RabbitMqNode.StartAsync("eventhub-sessions");
        _postgres = await PostgresCluster.StartAsync();
        var settings = DashboardHub.Settings();
        settings["EventHub__Transport"] = "RabbitMq";
        settings["EventHub__RabbitMq__Host"] = _node.Host;
        settings["EventHub__RabbitMq__Port"] = _node.Port.ToString(CultureInfo.InvariantCulture);
        settings["EventHub__Bus__StopTimeout"] = "00:00:02";
        settings["EventHub__Database"] = "Postgres";
        settings["ConnectionStrings__EventHub"] = await _postgres.CreateDatabaseAsync();
        // The first copy has the viewer key's rotation (old and new secret), the second only the old secret: a session
        // opened with the new one is good on the first copy alone.
        var rotating = new Dictionary<string, string>(settings) { ["EventHub__Keys__viewer__1"] = RotatedViewerKey };
        _first = await HostProcess.StartAsync(rotating);
        _second = await HostProcess.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_first is not null)
            await _first.DisposeAsync();
        if (_second is not null)
            await _second.DisposeAsync();
        if (_node is not null)
            await _node.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_login_survives_ten_page_loads_that_alternate_between_the_copies()
    {
        await using var balancer = new TcpProxy(First.BaseAddress, Second.BaseAddress);
        var storage = await LoginInBrowserAsync(balancer.Address, DashboardHub.AdminKey);

        for (var load = 0; load < 10; load++)
        {
            // A new context opens new connections, so the balancer hands each load to the next copy, as it would a
            // browser whose keep-alive connection was closed.
            var page = await NewPageAsync(balancer.Address, storage);
            await page.GotoAsync("/ui/listeners");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Listeners");
            Assert.DoesNotContain("/ui/login", page.Url, StringComparison.Ordinal);
            storage = await page.Context.StorageStateAsync();
            await page.Context.CloseAsync();
        }

        var served = balancer.ConnectionsPerTarget;
        TestContext.Current.TestOutputHelper?.WriteLine($"Connections per copy: {string.Join(", ", served)}");
        Assert.All(served, connections => Assert.True(connections >= 3, $"each copy should have served pages: {string.Join(", ", served)}"));
    }

    [Fact]
    public async Task A_form_issued_by_one_copy_is_accepted_by_the_other_and_the_cookie_holds_no_part_of_the_key()
    {
        using var session = new UiSession(First.BaseAddress);
        var token = await session.TokenFromAsync("/ui/login");

        using var login = await session.PostFormAsync(new Uri(Second.BaseAddress, "/ui/login").ToString(), new() { ["key"] = DashboardHub.AdminKey, ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var setCookie = string.Join("\n", login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("eventhub_ui=", setCookie, StringComparison.Ordinal);
        AssertHoldsNoPartOf(DashboardHub.AdminKey, setCookie);
        foreach (var copy in new[] { First, Second })
        {
            using var page = await session.Http.GetAsync(new Uri(copy.BaseAddress, "/ui/listeners"), Cancel);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // A logged-in form too: the logout form of a page from the second copy, posted to the first.
        var logoutToken = await session.TokenFromAsync(new Uri(Second.BaseAddress, "/ui/listeners").ToString());
        using var logout = await session.PostFormAsync(new Uri(First.BaseAddress, "/ui/logout").ToString(), new() { ["__RequestVerificationToken"] = logoutToken });
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var after = await session.Http.GetAsync(new Uri(Second.BaseAddress, "/ui/listeners"), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task The_new_secret_of_a_rotation_logs_in_and_the_session_ends_where_that_secret_is_not_configured()
    {
        using var session = new UiSession(First.BaseAddress);
        await session.LoginAsync(RotatedViewerKey);

        using var onFirst = await session.Http.GetAsync("/ui/listeners", Cancel);
        using var onSecond = await session.Http.GetAsync(new Uri(Second.BaseAddress, "/ui/listeners"), Cancel);

        Assert.Equal(HttpStatusCode.OK, onFirst.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, onSecond.StatusCode);
        Assert.StartsWith("/ui/login", onSecond.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>No run of six characters of the key appears in the header (a random match is about 1 in 10^8).</summary>
    static void AssertHoldsNoPartOf(string key, string header)
    {
        for (var start = 0; start + 6 <= key.Length; start++)
            Assert.DoesNotContain(key.Substring(start, 6), header, StringComparison.Ordinal);
    }

    async Task<string> LoginInBrowserAsync(Uri address, string key)
    {
        var page = await NewPageAsync(address, storage: null);
        await page.GotoAsync("/ui/login");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await DashboardHub.ArrivedAtAsync(page, "/ui");
        var storage = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return storage;
    }

    async Task<IPage> NewPageAsync(Uri address, string? storage)
    {
        var context = await hub.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), StorageState = storage });
        context.SetDefaultTimeout(120_000);
        return await context.NewPageAsync();
    }
}
