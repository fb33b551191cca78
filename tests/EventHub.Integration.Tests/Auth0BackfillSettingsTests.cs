using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Bad backfill settings stop the host at startup with one line naming the setting.</summary>
public sealed class Auth0BackfillSettingsTests
{
    public static TheoryData<string, string?, string> BadSettings => new()
    {
        { "EventHub__Auth0__ClientSecret", null, "EventHub__Auth0__ClientSecret is required" },
        { "EventHub__Auth0__Domain", "https://example.eu.auth0.com/api", "EventHub__Auth0__Domain 'https://example.eu.auth0.com/api' is not valid" },
        { "EventHub__Auth0__Backfill", "Sometimes", "Off or Gaps or Poll" },
        { "EventHub__Auth0__Backfill__BaseAddress", "http://auth0.example.com/", "http only on a loopback address" },
        { "EventHub__Auth0__Backfill__PollInterval", "00:00:00", "EventHub__Auth0__Backfill__PollInterval" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Should_exit_with_code_2_and_one_line_naming_a_bad_backfill_setting(string key, string? value, string expected)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Auth0__Domain"] = FakeAuth0.Domain;
        settings["EventHub__Auth0__ClientId"] = FakeAuth0.ClientId;
        settings["EventHub__Auth0__ClientSecret"] = "a-secret-that-must-not-be-printed";
        if (value is null)
            settings.Remove(key);
        else
            settings[key] = value;

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("a-secret-that-must-not-be-printed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
