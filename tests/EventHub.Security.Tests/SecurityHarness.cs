using EventHub.Composition.Switches;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Storage;
using EventHub.Storage.Sagas;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Security.Tests;

/// <summary>
/// The module's rules consumer in MassTransit's in-memory test harness, with its state in a real SQLite file
/// through the stored saga repository, and a fake clock.
/// </summary>
internal sealed class SecurityHarness : IAsyncDisposable
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly ServiceProvider _provider;
    readonly ReceiveTracker _tracker = new();

    SecurityHarness(ServiceProvider provider, FakeTimeProvider time, string database)
    {
        _provider = provider;
        Time = time;
        DatabaseFile = database;
        Harness = provider.GetRequiredService<ITestHarness>();
        Harness.Bus.ConnectReceiveObserver(_tracker);
    }

    public ITestHarness Harness { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _provider;

    /// <summary>The SQLite file holding the state, for a second harness as another host copy.</summary>
    public string DatabaseFile { get; }

    /// <summary>With <paramref name="database"/>, a SQLite file another harness uses too: a second host copy on the same state.</summary>
    public static async Task<SecurityHarness> StartAsync(SecurityOptions? options = null, Action<IBusRegistrationConfigurator>? consumers = null, string? database = null, HubSwitches? switches = null)
    {
        var file = database ?? NewDatabase();
        var time = new FakeTimeProvider(Entries.T0);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(Options.Create(options ?? new SecurityOptions()))
            .AddSingleton(switches ?? new HubSwitches())
            .AddSingleton(new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file};Default Timeout=30" })
            .AddSingleton<Database>()
            .AddSingleton(NullLogger<SchemaMigrator>.Instance)
            .AddSingleton<SchemaMigrator>()
            .AddMassTransitTestHarness(bus =>
            {
                SecurityModule.ConfigureConsumers(bus);
                consumers?.Invoke(bus);
            });
        var provider = services.BuildServiceProvider(true);
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync(Cancel);
        var harness = new SecurityHarness(provider, time, file);
        await harness.Harness.Start();
        return harness;
    }

    public static string NewDatabase() => Path.Combine(Directory.CreateTempSubdirectory("eventhub-security-").FullName, "security.db");

    /// <summary>
    /// Publishes the entries one at a time, each in its own <see cref="HubEventBatch"/> as the hub's ingress publishes
    /// them, each fully handled by the rules consumer (groups saved, alerts published) before the next is published, so
    /// arrival order is the test's.
    /// </summary>
    public async Task PublishInOrderAsync(params Auth0LogEntry[] entries)
    {
        foreach (var entry in entries)
            await PublishAndWaitAsync(HubEventBatch.Of([entry]));
    }

    /// <summary>Publishes all entries at once, each in its own batch message: the rules consumer takes them in batches of those.</summary>
    public async Task PublishAtOnceAsync(params Auth0LogEntry[] entries) =>
        await Task.WhenAll(entries.Select(entry => PublishAndWaitAsync(HubEventBatch.Of([entry]))));

    /// <summary>Publishes <paramref name="message"/> (a batch, or a single entry as a release before ADR 0031 did) and waits until the rules consumer has handled it.</summary>
    public async Task PublishAndWaitAsync(object message, Action<PublishContext>? headers = null)
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context =>
        {
            context.MessageId = messageId;
            headers?.Invoke(context);
        }, Cancel);
        await _tracker.WaitAsync(messageId, Endpoints).WaitAsync(Eventually.DefaultLimit, Cancel);
    }

    // One endpoint takes every entry: the Sigma rules' consumer (brute force, credential stuffing, breached password among them).
    const int Endpoints = 1;

    public Task<TState?> StoredAsync<TState>(Guid correlationId)
        where TState : class, ISagaVersion =>
        _provider.GetRequiredService<SagaStore<TState>>().LoadAsync(correlationId, Cancel);

    /// <summary>The alerts published so far with this name.</summary>
    public Task<List<ISecurityAlert>> AlertsAsync(string name) =>
        Task.FromResult(Harness.Published.Select<ISecurityAlert>(x => x.Context.Message.Name == name, Cancel).Select(p => p.Context.Message).ToList());

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop(Cancel);
        await _provider.DisposeAsync();
    }
}
