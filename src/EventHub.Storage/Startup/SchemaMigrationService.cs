using EventHub.Composition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventHub.Storage.Startup;

/// <summary>
/// Migrates at startup. A database that answers is migrated before the server accepts requests and before the bus
/// consumes, as always. One that does not answer yet is waited for in the background with a bounded back-off while the
/// host serves its health (not ready, naming the error) and answers 503; the schema is applied as soon as it answers.
/// A database that answers with a refusal (password, permissions) stops the host: waiting would not fix a setting.
/// </summary>
internal sealed class SchemaMigrationService(
    SchemaMigrator migrator,
    Database database,
    StorageOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SchemaMigrationService> logger) : IHostedService
{
    // While the error stays the same it is logged this often, not on every try.
    static readonly TimeSpan RepeatLogEvery = TimeSpan.FromMinutes(1);

    // A database behind a firewall that drops packets would hold the first try for the whole connect timeout (15 s by
    // default), and the host would not answer even /health/live meanwhile: wait less for the first connection, then
    // keep trying in the background. Only the connection: a migration that takes longer is not cut short.
    static readonly TimeSpan FirstConnectPatience = TimeSpan.FromSeconds(5);

    // Never disposed: the host may stop a service twice (tests' factories do), and a source without a timer holds nothing.
    readonly CancellationTokenSource _stopping = new();
    Task _waiting = Task.CompletedTask;
    long _started;
    string? _loggedError;
    long _loggedAt;

    /// <summary>
    /// The first try, before the host starts (Program calls it; otherwise <see cref="StartAsync"/> does): true when the
    /// schema is in place, false when the database does not answer yet, a <see cref="DatabaseStartupException"/> when
    /// it refused the settings. Thrown here rather than from a hosted service, where the host would log a stack trace.
    /// </summary>
    public async Task<bool> FirstTryAsync(CancellationToken cancellationToken)
    {
        if (_started != 0)
            return database.Status.IsReady;
        _started = time.GetTimestamp();
        return await TryMigrateAsync(cancellationToken, connectWithin: FirstConnectPatience);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await FirstTryAsync(cancellationToken))
            _waiting = WaitForDatabaseAsync(_stopping.Token);
    }

    async Task WaitForDatabaseAsync(CancellationToken stopping)
    {
        // Up to 5 s: a database that just came up is used within seconds; a try costs one connection attempt.
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                var delay = backoff.Next();
                if (options.StartupTimeout is { } limit)
                {
                    var left = limit - time.GetElapsedTime(_started);
                    if (left <= TimeSpan.Zero)
                    {
                        throw new DatabaseStartupException(
                            $"the {database.Provider} database did not answer within {Settings.EnvironmentName(StorageModule.StartupTimeoutKey)} ({limit:c}): {database.Status.LastError}", 1);
                    }

                    delay = delay < left ? delay : left;
                }

                await Task.Delay(delay, time, stopping);
                if (await TryMigrateAsync(stopping))
                    return;
            }
        }
        catch (DatabaseStartupException reason)
        {
            GiveUp(reason);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when migrated, false when the database does not answer; throws when it refused the settings.</summary>
    async Task<bool> TryMigrateAsync(CancellationToken cancellationToken, TimeSpan? connectWithin = null)
    {
        try
        {
            if (connectWithin is { } within)
            {
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(within);
                await using var connection = await database.OpenUncheckedAsync(patience.Token);
            }

            await migrator.MigrateAsync(cancellationToken);
            if (_loggedError is not null)
                logger.LogInformation("{Database} database answered after {Waited:0.0} s; schema up to date", database.Provider, time.GetElapsedTime(_started).TotalSeconds);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (DatabaseErrors.SettingError(e, options) is { } setting)
                throw setting;

            var error = e is OperationCanceledException ? $"no connection within {connectWithin:c}" : DatabaseErrors.Describe(e);
            database.Status.Failed(error);
            if (error != _loggedError || time.GetElapsedTime(_loggedAt) >= RepeatLogEvery)
            {
                logger.LogWarning("Waiting for the {Database} database: {Error}", database.Provider, error);
                _loggedError = error;
                _loggedAt = time.GetTimestamp();
            }

            return false;
        }
    }

    /// <summary>
    /// The host stops normally, once it has started (a stop while it starts would cancel its start, and the host would
    /// abort); Program prints the one line and exits with the exception's code.
    /// </summary>
    void GiveUp(DatabaseStartupException reason)
    {
        database.Status.Failed(reason.Message);
        database.Status.GiveUp(reason);
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _waiting.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
