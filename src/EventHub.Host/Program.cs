using EventHub.Auth0;
using EventHub.Composition.Switches;
using EventHub.Dashboard;
using EventHub.Events;
using EventHub.Host.Bus;
using EventHub.Host.ErrorQueues;
using EventHub.Host.Hosting;
using EventHub.Listeners;
using EventHub.Security;
using EventHub.Storage;
using EventHub.Storage.Startup;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

if (args is [HealthProbe.Argument])
    return await HealthProbe.RunAsync();

try
{
    // The command's own arguments are not settings: the configuration's command-line source would misread them.
    var migrateQueues = BrokerQueues.IsCommand(args);
    var builder = WebApplication.CreateBuilder(migrateQueues ? [] : args);
    // Read and validated before any module registers; every module gets the same switches in any order (docs/adr/0027).
    var switches = HubSwitches.Of(builder);
    builder.AddEventHubHost();
    builder.AddAuth0Module();
    builder.AddEventsModule();
    builder.AddListenersModule();
    builder.AddSecurityModule();
    builder.AddDashboardModule();
    builder.AddEventHubBus(EventsModule.ConfigureConsumers, ListenersModule.ConfigureConsumers, SecurityModule.ConfigureConsumers, bus => DashboardModule.ConfigureConsumers(bus, switches));
    builder.AddErrorQueues();

    var app = builder.Build();
    // Validate options here rather than inside RunAsync, where the host would log the failure with a stack trace first.
    app.Services.GetService<IStartupValidator>()?.Validate();
    // Before the queue check and the queue migration, which read the listener registry: the schema must be there.
    await app.Services.TryMigrateBeforeStartAsync(CancellationToken.None);
    if (migrateQueues)
        return await app.MigrateQueuesAsync(args);
    await app.CheckQueuesAsync();
    app.UseEventHubHost();
    app.MapAuth0Endpoints();
    app.MapEventsEndpoints();
    app.MapListenersEndpoints();
    app.MapSecurityEndpoints();
    app.MapDashboardEndpoints();
    app.MapErrorQueueEndpoints();
    var database = app.Services.GetRequiredService<DatabaseStatus>();
    await app.RunAsync();
    database.ThrowIfGaveUp();
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A bad setting is the operator's to fix: one line naming it, not a stack trace.
    await Console.Error.WriteLineAsync($"EventHub cannot start: {string.Join("; ", invalid.Failures)}");
    return 2;
}
catch (DatabaseStartupException failed)
{
    await Console.Error.WriteLineAsync($"EventHub cannot start: {failed.Message}");
    return failed.ExitCode;
}
catch (InvalidOperationException badValue) when (badValue.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"EventHub cannot start: {badValue.Message}");
    return 2;
}
catch (IOException taken) when (taken.InnerException is AddressInUseException)
{
    // Kestrel's own failure would end the process as an unhandled exception (SIGABRT, a core dump where enabled).
    await Console.Error.WriteLineAsync($"EventHub cannot start: {taken.Message} Stop what listens there, or choose another address with ASPNETCORE_URLS (ASPNETCORE_HTTP_PORTS in the container) or --urls.");
    return 2;
}

/// <summary>Exposed for WebApplicationFactory in tests.</summary>
public partial class Program;
