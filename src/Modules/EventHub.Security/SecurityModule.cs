using EventHub.Security.BreachedPassword;
using EventHub.Security.BruteForce;
using EventHub.Security.CredentialStuffing;
using EventHub.Storage.Sagas;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventHub.Security;

public static class SecurityModule
{
    public static IHostApplicationBuilder AddSecurityModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // The bus is composed before options can be resolved, so the switches are read here as well (ConfigureConsumers finds them).
        var options = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.AddSingleton(new EnabledDetections(options.BruteForce.Enabled, options.CredentialStuffing.Enabled, options.BreachedPassword.Enabled));
        return builder;
    }

    /// <summary>The detections' state machines, each with its instances in the hub's database.</summary>
    public static void ConfigureConsumers(IRegistrationConfigurator configurator)
    {
        var enabled = configurator.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<EnabledDetections>().LastOrDefault() ?? EnabledDetections.All;
        if (enabled.BruteForce)
            configurator.AddSagaStateMachine<BruteForceStateMachine, BruteForceState, BruteForceStateDefinition>().StoredRepository();
        if (enabled.CredentialStuffing)
            configurator.AddSagaStateMachine<CredentialStuffingStateMachine, CredentialStuffingState, CredentialStuffingStateDefinition>().StoredRepository();
        if (enabled.BreachedPassword)
            configurator.AddSagaStateMachine<BreachedPasswordStateMachine, BreachedPasswordState, BreachedPasswordStateDefinition>().StoredRepository();
    }
}
