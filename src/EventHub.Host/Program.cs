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
    try
    {
        await app.StartAsync();
    }
    catch (Exception failed) when (failed is not OptionsValidationException)
    {
        // The host has logged it with its stack trace. Left unhandled it would end the process with SIGABRT (a core dump
        // where enabled) over what is the operator's to fix: a port taken, an address not on this machine, HTTPS with no
        // certificate.
        await Console.Error.WriteLineAsync($"EventHub cannot start: {failed.Message}");
        await app.DisposeAsync();
        return 2;
    }

    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
    database.ThrowIfGaveUp();
    // An int returned from Main is the exit code, whatever Environment.ExitCode says: the watchdog's 70 (a wedged RabbitMQ
    // client, for the supervisor to restart this copy) must reach the supervisor.
    return Environment.ExitCode;
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

/// <summary>Exposed for WebApplicationFactory in tests.</summary>
public partial class Program;
