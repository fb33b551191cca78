using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventHub.Composition.Switches;

/// <summary>
/// Which modules and features run: the one place a module or a feature is switched off (docs/adr/0027). What is off gets
/// no consumer, no queue, no hosted service and no endpoint, so the switches must be known while services are composed,
/// before options exist. <see cref="Of"/> reads them once from configuration for a builder, whichever <c>Add…</c> asks first.
/// </summary>
public sealed record HubSwitches
{
    public const string DashboardKey = "EventHub:Ui:Enabled";
    public const string BruteForceKey = "EventHub:Security:BruteForce:Enabled";
    public const string CredentialStuffingKey = "EventHub:Security:CredentialStuffing:Enabled";
    public const string BreachedPasswordKey = "EventHub:Security:BreachedPassword:Enabled";
    public const string BackfillKey = "EventHub:Auth0:Backfill";

    // The section's own value is the short form (EventHub__Auth0__Backfill=Poll); its Mode child is the same setting spelled out.
    const string BackfillModeKey = BackfillKey + ":Mode";
    static readonly string[] ManagementApiCredentials = ["EventHub:Auth0:Domain", "EventHub:Auth0:ClientId", "EventHub:Auth0:ClientSecret"];

    /// <summary>The dashboard under <c>/ui</c>, with its live feed's consumer.</summary>
    public bool Dashboard { get; init; } = true;

    public bool BruteForce { get; init; } = true;

    public bool CredentialStuffing { get; init; } = true;

    public bool BreachedPassword { get; init; } = true;

    /// <summary>The mode set, or <see cref="BackfillMode.Gaps"/> when any Management API credential is set, else Off.</summary>
    public BackfillMode Backfill { get; init; }

    /// <summary>
    /// The builder's switches, read and validated by the first caller and kept in the builder's properties, so every module
    /// and the bus see the same values in any order of the <c>Add…</c> lines; registered in the container for what runs later.
    /// A bad value throws the one-line <see cref="Settings.Invalid"/> failure the host prints before exiting with code 2.
    /// </summary>
    public static HubSwitches Of(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(HubSwitches), out var known))
            return (HubSwitches)known;
        var switches = Read(builder.Configuration);
        builder.Properties[typeof(HubSwitches)] = switches;
        builder.Services.AddSingleton(switches);
        return switches;
    }

    public static HubSwitches Read(IConfiguration configuration) => new()
    {
        Dashboard = Settings.ReadBool(configuration, DashboardKey, true),
        BruteForce = Settings.ReadBool(configuration, BruteForceKey, true),
        CredentialStuffing = Settings.ReadBool(configuration, CredentialStuffingKey, true),
        BreachedPassword = Settings.ReadBool(configuration, BreachedPasswordKey, true),
        Backfill = ReadBackfill(configuration),
    };

    static BackfillMode ReadBackfill(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[BackfillKey]))
            return Settings.ReadEnum(configuration, BackfillKey, BackfillMode.Off);
        if (!string.IsNullOrWhiteSpace(configuration[BackfillModeKey]))
            return Settings.ReadEnum(configuration, BackfillModeKey, BackfillMode.Off);
        return ManagementApiCredentials.Any(key => !string.IsNullOrWhiteSpace(configuration[key])) ? BackfillMode.Gaps : BackfillMode.Off;
    }
}
