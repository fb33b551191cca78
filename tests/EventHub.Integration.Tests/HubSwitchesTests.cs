using EventHub.Composition.Switches;
using EventHub.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventHub.Integration.Tests;

/// <summary>The switches are read once per builder, keep the names operators use, and refuse a bad value with one line.</summary>
public sealed class HubSwitchesTests
{
    [Fact]
    public void Every_switch_is_on_and_backfill_off_when_nothing_is_set()
    {
        var switches = HubSwitches.Read(Configuration([]));

        Assert.Equal(new HubSwitches { Backfill = BackfillMode.Off }, switches);
        Assert.True(switches.Dashboard && switches.BruteForce && switches.CredentialStuffing && switches.BreachedPassword);
    }

    [Fact]
    public void The_settings_operators_already_use_switch_modules_and_features_off()
    {
        var switches = HubSwitches.Read(Configuration(new()
        {
            ["EventHub:Ui:Enabled"] = "false",
            ["EventHub:Security:BruteForce:Enabled"] = "False",
            ["EventHub:Security:CredentialStuffing:Enabled"] = " false ",
            ["EventHub:Security:BreachedPassword:Enabled"] = "true",
            ["EventHub:Auth0:Backfill:Mode"] = "poll",
        }));

        Assert.Equal(new HubSwitches { Dashboard = false, BruteForce = false, CredentialStuffing = false, BreachedPassword = true, Backfill = BackfillMode.Poll }, switches);
    }

    [Fact]
    public void Backfill_pulls_gaps_once_a_management_api_credential_is_set_unless_told_otherwise()
    {
        Assert.Equal(BackfillMode.Gaps, HubSwitches.Read(Configuration(new() { ["EventHub:Auth0:ClientId"] = "id" })).Backfill);
        Assert.Equal(BackfillMode.Off, HubSwitches.Read(Configuration(new() { ["EventHub:Auth0:ClientId"] = "id", ["EventHub:Auth0:Backfill"] = "Off" })).Backfill);
    }

    [Theory]
    [InlineData("EventHub:Ui:Enabled", "maybe", "EventHub__Ui__Enabled 'maybe' is not valid: use true or false.")]
    [InlineData("EventHub:Security:BruteForce:Enabled", "1", "EventHub__Security__BruteForce__Enabled '1' is not valid: use true or false.")]
    [InlineData("EventHub:Security:BreachedPassword:Enabled", "yes", "EventHub__Security__BreachedPassword__Enabled 'yes' is not valid: use true or false.")]
    [InlineData("EventHub:Auth0:Backfill", "2", "EventHub__Auth0__Backfill '2' is not valid: use Off or Gaps or Poll.")]
    public void A_bad_value_is_refused_with_one_line_naming_the_setting(string key, string value, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => HubSwitches.Read(Configuration(new() { [key] = value })));

        Assert.Equal(message, Assert.Single(refused.Failures));
    }

    [Fact]
    public void A_builder_reads_its_switches_once_and_registers_them_once()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["EventHub:Security:BruteForce:Enabled"] = "false" });

        var first = HubSwitches.Of(builder);
        builder.Configuration["EventHub:Security:BruteForce:Enabled"] = "true";
        var second = HubSwitches.Of(builder);

        Assert.Same(first, second);
        Assert.False(second.BruteForce);
        Assert.Same(first, Assert.Single(builder.Services, s => s.ServiceType == typeof(HubSwitches)).ImplementationInstance);
    }

    [Fact]
    public async Task A_bad_detection_switch_stops_the_host_with_exit_code_2_and_one_line()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Security__CredentialStuffing__Enabled"] = "sometimes";

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains("EventHub__Security__CredentialStuffing__Enabled 'sometimes' is not valid: use true or false.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
