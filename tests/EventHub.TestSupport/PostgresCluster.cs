using Npgsql;

namespace EventHub.TestSupport;

/// <summary>
/// A private PostgreSQL cluster for one test run (initdb + pg_ctl on a free port, data under a temp dir), run as the
/// <c>postgres</c> user when the tests run as root, since PostgreSQL refuses to run as root. Always stopped.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    readonly string _directory;
    readonly string? _runAs;

    PostgresCluster(string directory, int port, string? runAs)
    {
        _directory = directory;
        Port = port;
        _runAs = runAs;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id while the server runs (its backends are its children), else null.</summary>
    public int? ServerPid =>
        File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A new cluster, running unless <paramref name="serverRunning"/> is false (then <see cref="StartServerAsync"/> starts it).</summary>
    public static async Task<PostgresCluster> StartAsync(bool serverRunning = true)
    {
        if (!ProcessRunner.CommandExists("initdb") || !ProcessRunner.CommandExists("pg_ctl"))
            throw new InvalidOperationException("initdb/pg_ctl are not on PATH: install the PostgreSQL server binaries (e.g. apt-get install -y postgresql-15).");

        var directory = Directory.CreateTempSubdirectory("eventhub-pg-").FullName;
        string? runAs = null;
        if (ProcessRunner.IsRoot)
        {
            runAs = "postgres";
            var (code, output) = await ProcessRunner.RunAsync("chown", [$"{runAs}:", directory]);
            if (code != 0)
                throw new InvalidOperationException($"PostgreSQL must not run as root and there is no usable 'postgres' user ({output.Trim()}): ./build.sh test creates one.");
        }

        var cluster = new PostgresCluster(directory, FreePort.Next(), runAs);
        await cluster.RunAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], TimeSpan.FromSeconds(120));
        if (serverRunning)
            await cluster.StartServerAsync();
        return cluster;
    }

    public async Task StartServerAsync()
    {
        await RunAsync("pg_ctl",
            ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
             "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"],
            TimeSpan.FromSeconds(90));
        TestProcesses.RecordFromPidFile(Path.Combine(DataDirectory, "postmaster.pid"));
    }

    public async Task StopServerAsync()
    {
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(60));
        // The test process's pooled connections died with the server: a later test would otherwise draw one and fail.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A connection string to a new, empty database of its own.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "eventhub")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5";

    async Task RunAsync(string command, string[] arguments, TimeSpan timeout)
    {
        var (code, output) = _runAs is null
            ? await ProcessRunner.RunAsync(command, arguments, timeout: timeout)
            : await ProcessRunner.RunAsync("runuser", ["-u", _runAs, "--", command, .. arguments], timeout: timeout);
        if (code != 0)
            throw new InvalidOperationException($"{command} failed ({code}): {output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (Exception)
        {
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
