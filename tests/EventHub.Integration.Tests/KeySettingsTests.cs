using EventHub.Access;
using EventHub.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventHub.Integration.Tests;

/// <summary>Key settings fail closed: a key without scopes, with a short secret, an unknown scope or a reserved name stops the host.</summary>
public sealed class KeySettingsTests
{
    [Fact]
    public async Task A_key_without_scopes_stops_the_host_naming_the_setting_to_add()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Keys__orders"] = "orders-secret-0123456789abcdef0123456789";

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains("EventHub cannot start: EventHub__Keys__orders__Scopes__0 is missing", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EventHub:Keys:orders", "short", "EventHub__Keys__orders is too short")]
    [InlineData("EventHub:Keys:orders:Scopes:0", "everything", "EventHub__Keys__orders__Scopes__0 'everything' is not a scope")]
    [InlineData("EventHub:Keys:orders:Read:0", "Order.*", "EventHub__Keys__orders__Read__0 'Order.*' has an invalid word")]
    [InlineData("EventHub:Keys:orders:Scope:0", "emit", "EventHub__Keys__orders__Scope is not a key setting")]
    [InlineData("EventHub:Keys:auth0", "auth0-secret-0123456789abcdef0123456789", "EventHub__Keys__auth0 has a reserved name")]
    public void A_bad_key_setting_is_refused_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventHub:Keys:orders"] = "orders-secret-0123456789abcdef0123456789",
            ["EventHub:Keys:orders:Scopes:0"] = "emit",
            [key] = value,
        };

        var refused = Assert.Throws<OptionsValidationException>(() => new ApiKeys(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), development: false));

        Assert.StartsWith(message, Assert.Single(refused.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Development_accepts_a_short_secret_but_never_a_key_without_scopes()
    {
        var shortSecret = Keys(new() { ["EventHub:Keys:dev:0"] = "dev-key", ["EventHub:Keys:dev:Scopes:0"] = "admin" });
        Assert.True(shortSecret.Find("dev-key")!.IsAdmin);

        Assert.Throws<OptionsValidationException>(() => Keys(new() { ["EventHub:Keys:dev"] = "dev-key" }));
    }

    static ApiKeys Keys(Dictionary<string, string?> settings) => new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), development: true);
}
