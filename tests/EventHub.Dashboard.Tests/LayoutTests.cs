using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EventHub.Dashboard.Tests;

/// <summary>
/// Every main page at a laptop width and a phone width: no accessibility violations found by axe-core (run from the
/// package, offline), nothing wider than a phone screen, and a screenshot of each under the test output's
/// <c>screenshots/</c> (the ones in docs/images are copies of these).
/// </summary>
public sealed class LayoutTests(DashboardHub hub)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "live", "/ui" },
        { "listeners", "/ui/listeners" },
        { "dead-letters", "/ui/dead-letters" },
        { "errors", "/ui/errors" },
        { "catalog", "/ui/catalog" },
        { "auth0", "/ui/auth0" },
        { "security", "/ui/security" },
        { "event", "/ui/events/{seeded}" },
        { "login", "/ui/login" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_is_accessible_and_fits_a_laptop_and_a_phone(string name, string path)
    {
        var seeded = await hub.SeedAsync();
        path = path.Replace("{seeded}", seeded, StringComparison.Ordinal);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var page = await hub.PageAsync(name == "login" ? null : DashboardHub.AdminKey, width, height);
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a {width} px screen");
            var axe = await page.RunAxe();
            Assert.Empty(axe.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));

            var file = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{name}-{(width < 600 ? "phone" : "desktop")}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            await page.Context.CloseAsync();
        }
    }
}
