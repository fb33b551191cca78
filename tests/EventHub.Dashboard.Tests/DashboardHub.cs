using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventHub.TestSupport;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(EventHub.Dashboard.Tests.DashboardHub))]

namespace EventHub.Dashboard.Tests;

/// <summary>
/// One real host process (embedded: in-memory bus, SQLite in its own temp directory) on a real port for the whole
/// assembly, a real webhook receiver, and headless Chromium from the system (Debian's chromium package) driven by
/// Playwright's bundled driver: browsers cannot be downloaded here.
/// </summary>
public sealed class DashboardHub : IAsyncLifetime
{
    public const string AdminKey = "ops-secret-0123456789abcdef0123456789";
    public const string ViewerKey = "viewer-secret-0123456789abcdef01234567";
    const string ChromiumPath = "/usr/bin/chromium";

    HostProcess? _host;
    IPlaywright? _playwright;

    public HostProcess Host => _host!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public Uri BaseAddress => Host.BaseAddress;

    public static Dictionary<string, string> Settings() => new()
    {
        ["EventHub__Keys__ops"] = AdminKey,
        ["EventHub__Keys__ops__Scopes__0"] = "admin",
        // Looks and manages its own listeners, but may not replay.
        ["EventHub__Keys__viewer"] = ViewerKey,
        ["EventHub__Keys__viewer__Scopes__0"] = "emit",
        ["EventHub__Keys__viewer__Scopes__1"] = "events:read",
        ["EventHub__Keys__viewer__Scopes__2"] = "auth0:read",
        ["EventHub__Keys__viewer__Scopes__3"] = "listeners:manage",
        ["EventHub__Auth0__Tokens__0"] = "auth0-token",
        ["EventHub__Listeners__AllowPrivateTargets"] = "true",
        // Every test logs in again from 127.0.0.1.
        ["EventHub__Limits__LoginsPerMinute"] = "10000",
        ["EventHub__Listeners__RetryPollInterval"] = "00:00:00.100",
        // Low, so a test can pause a listener; each other test's listener fails one event at most.
        ["EventHub__Listeners__PauseAfterEvents"] = "3",
    };

    public async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        _host = await HostProcess.StartAsync(Settings());
        Api = new HttpClient { BaseAddress = Host.BaseAddress };
        Api.DefaultRequestHeaders.Add("X-EventHub-Key", AdminKey);
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (./build.sh test does).");
        _playwright = await Playwright.CreateAsync();
        // For every class's Expect: long enough that only a hang reaches it on a loaded two-core machine.
        Assertions.SetDefaultExpectTimeout(120_000);
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser context (own cookies) at the given viewport, logged in with the key unless it is null.</summary>
    public async Task<IPage> PageAsync(string? key = AdminKey, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        // Long enough that only a hang reaches it: a page that runs axe on a loaded two-core
        // machine took over 30 s once (the same test passed alone in under 20 s).
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        if (key is null)
            return page;
        await page.GotoAsync("/ui/login");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await ArrivedAtAsync(page, "/ui");
        return page;
    }

    /// <summary>
    /// Waits until the page's address ends with the path and query. Not <c>WaitForURLAsync</c>: when the address
    /// already matches, Playwright for .NET reads the page's load states and then subscribes to their event on another
    /// thread, so a load that lands between the two is missed and the wait runs out (ci60, ci62: "NetworkIdle event
    /// fired", then 120 s). This assertion is evaluated in the driver.
    /// </summary>
    public static Task ArrivedAtAsync(IPage page, string pathAndQuery) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(pathAndQuery) + "$"));

    public async Task<string> EmitAsync(string name, object payload, string key = AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new { name, payload }) };
        request.Headers.Add("X-EventHub-Key", key);
        using var plain = new HttpClient { BaseAddress = BaseAddress };
        using var response = await plain.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        return body!["ids"]![0]!.GetValue<string>();
    }

    readonly SemaphoreSlim _seeding = new(1, 1);
    string? _seeded;
    DeadLetter? _failing;

    /// <summary>
    /// Once per run: a little of everything the pages show (emitted events, Auth0 entries, a security alert, a healthy
    /// listener and one with a dead letter). Returns the id of the dead letter's event.
    /// </summary>
    public async Task<string> SeedAsync()
    {
        await _seeding.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_seeded is not null)
                return _seeded;
            var cancellationToken = TestContext.Current.CancellationToken;
            await Receiver.DisposeAsync();
            Receiver = await WebhookReceiver.StartAsync();
            using (var healthy = await Api.PostAsJsonAsync("/v1/listeners", new { name = "billing", platform = "shop", label = "prod", events = new[] { "order.*" }, delivery = new { type = "webhook", url = Receiver.Url } }, cancellationToken))
                healthy.EnsureSuccessStatusCode();
            var failing = await DeadLetter.CreateAsync(this, "fulfilment");
            for (var i = 1; i <= 3; i++)
                await EmitAsync("order.placed", new { orderId = 4000 + i, total = $"{19.90m * i:0.00}", currency = "EUR" });
            using var auth0 = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0")
            {
                Content = new StringContent("""
                    [{"log_id":"90020261125080000000000101","data":{"type":"f","date":"2026-11-25T08:00:00.000Z","description":"Wrong email or password.","connection":"Username-Password-Authentication","client_name":"Shop","ip":"203.0.113.7","user_name":"someone@example.com","tenant_name":"example"}},
                     {"log_id":"90020261125080000000000102","data":{"type":"s","date":"2026-11-25T08:00:02.000Z","description":"Successful login","client_name":"Shop","ip":"198.51.100.4","tenant_name":"example"}},
                     {"log_id":"90020261125080000000000103","data":{"date":"2026-11-25T08:00:03.000Z"}}]
                    """, System.Text.Encoding.UTF8, "application/json"),
            };
            auth0.Headers.Authorization = new("Bearer", "auth0-token");
            (await Api.SendAsync(auth0, cancellationToken)).EnsureSuccessStatusCode();
            await EmitAsync("invoice.paid", new { invoice = "INV-2026-0042", amount = "59.70" }, ViewerKey);
            await RaiseBruteForceAlertAsync("auth0|seeded-brute-force");
            _failing = failing;
            _seeded = failing.EventId;
            return _seeded;
        }
        finally
        {
            _seeding.Release();
        }
    }

    /// <summary>
    /// Posts a burst of failed logins of one account and returns the hub's brute-force alert from the event log: no key
    /// may emit security.* names, so an alert on the dashboard comes from the hub's detection, as in production.
    /// </summary>
    public async Task<string> RaiseBruteForceAlertAsync(string user)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var failed = Enumerable.Range(0, 12).Select(i => Auth0Entries.Record("f", user: user)
            .With("date", start.AddSeconds(10 * i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(Auth0Entries.JsonArray(failed)) };
        request.Headers.Authorization = new("Bearer", "auth0-token");
        (await Api.SendAsync(request, cancellationToken)).EnsureSuccessStatusCode();
        var alert = await Eventually.UntilAsync(
            async () => (await Api.GetFromJsonAsync<JsonObject>("/v1/events?name=security.%23", cancellationToken))!["items"]!.AsArray()
                .FirstOrDefault(e => e!["payload"]!.ToJsonString().Contains(user, StringComparison.Ordinal)),
            found => found is not null,
            what: "the brute-force alert in the event log");
        return alert!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
        if (Receiver is not null)
            await Receiver.DisposeAsync();
        if (_failing is not null)
            await _failing.DisposeAsync();
    }
}
