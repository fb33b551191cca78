using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
    public const string AdminKey = "ops-secret";
    public const string ViewerKey = "viewer-secret";
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
        ["EventHub__Keys__viewer"] = ViewerKey,
        ["EventHub__Ui__AdminKeys__0"] = "ops",
        ["EventHub__Auth0__Tokens__0"] = "auth0-token",
        ["EventHub__Listeners__AllowPrivateTargets"] = "true",
        ["EventHub__Listeners__RetryPollInterval"] = "00:00:00.100",
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
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A fresh browser context (own cookies) at the given viewport, logged in with the key unless it is null.</summary>
    public async Task<IPage> PageAsync(string? key = AdminKey, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        if (key is null)
            return page;
        await page.GotoAsync("/ui/login");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync("**/ui");
        return page;
    }

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
    }
}
