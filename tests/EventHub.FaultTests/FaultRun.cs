using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Npgsql;

namespace EventHub.FaultTests;

/// <summary>
/// One fault scenario in production shape: the host as child processes (one or more copies sharing one database) on a
/// RabbitMQ node or cluster and a PostgreSQL database, a webhook listener for <c>auth0.#</c> on a local receiver, and an
/// Auth0-like sender driving it. After the fault, <see cref="SettleAsync"/> waits until every acknowledged log_id is in
/// the event log and at the receiver (or the limit passes) and returns the figures.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    public const string Auth0Token = "fault-auth0-token";
    public const string ApiKey = "fault-api-key-0123456789abcdef0123456789";

    readonly Dictionary<string, string> _settings;
    readonly List<HostProcess> _hosts;
    readonly List<HttpClient> _copyClients;
    readonly List<Auth0Sender> _senders = [];
    readonly List<WebhookReceiver> _stoppedReceivers = [];
    readonly string _prefix;
    readonly System.Diagnostics.Stopwatch _started = System.Diagnostics.Stopwatch.StartNew();

    FaultRun(Dictionary<string, string> settings, string connectionString, List<HostProcess> hosts, WebhookReceiver receiver, string prefix)
    {
        _settings = settings;
        _hosts = hosts;
        _prefix = prefix;
        ConnectionString = connectionString;
        Receiver = receiver;
        Http = new HttpClient { BaseAddress = hosts[0].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-EventHub-Key", ApiKey);
        // A restarted copy keeps its port, so one client per copy serves the whole run.
        _copyClients = [.. hosts.Select(host => new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan })];
        Sender = NewSender([.. Enumerable.Range(0, hosts.Count)]);
        TestContext.Current.SendDiagnosticMessage(Sender.Batches.FromRealCorpus
            ? "the sender streams the real Auth0 corpus in ../shared"
            : "../shared is absent: the sender streams entries built from Auth0's public log schema, not real payloads");
    }

    /// <summary>The first copy, through which the listener is registered.</summary>
    public HostProcess Host => _hosts[0];

    public IReadOnlyList<HostProcess> Hosts => _hosts;

    public WebhookReceiver Receiver { get; private set; }

    public HttpClient Http { get; }

    /// <summary>The run's stream, spread over every copy.</summary>
    public Auth0Sender Sender { get; }

    public string ConnectionString { get; }

    public string ListenerId { get; private set; } = "";

    public TimeSpan Elapsed => _started.Elapsed;

    /// <summary>Starts the host on the node and a new database of the cluster, and registers the listener.</summary>
    public static Task<FaultRun> StartAsync(RabbitMqNode node, PostgresCluster postgres, object? retry = null) =>
        StartAsync(
            new Dictionary<string, string>
            {
                ["EventHub__RabbitMq__Host"] = node.Host,
                ["EventHub__RabbitMq__Port"] = node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            copies: 1,
            postgres,
            retry);

    /// <summary>Starts <paramref name="copies"/> copies of another build of the host (an earlier release) on the node and a new database.</summary>
    public static Task<FaultRun> StartAsync(RabbitMqNode node, PostgresCluster postgres, int copies, string hostAssembly) =>
        StartAsync(
            new Dictionary<string, string>
            {
                ["EventHub__RabbitMq__Host"] = node.Host,
                ["EventHub__RabbitMq__Port"] = node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            copies,
            postgres,
            retry: null,
            hostAssembly);

    /// <summary>
    /// Starts <paramref name="copies"/> host copies on the cluster, all given its nodes in the same order (so all connect to
    /// the first) with quorum queues, on one new database; registers the listener through the first copy and waits until
    /// every copy delivers to it.
    /// </summary>
    public static Task<FaultRun> StartOnClusterAsync(RabbitMqCluster cluster, PostgresCluster postgres, int copies)
    {
        var broker = new Dictionary<string, string> { ["EventHub__RabbitMq__QuorumQueues"] = "true" };
        for (var i = 0; i < cluster.Endpoints.Count; i++)
            broker[$"EventHub__RabbitMq__Nodes__{i}"] = cluster.Endpoints[i];
        return StartAsync(broker, copies, postgres, retry: null);
    }

    static async Task<FaultRun> StartAsync(Dictionary<string, string> broker, int copies, PostgresCluster postgres, object? retry, string? hostAssembly = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string>(broker)
        {
            ["EventHub__Transport"] = "RabbitMq",
            ["EventHub__Database"] = "Postgres",
            ["ConnectionStrings__EventHub"] = connectionString,
            ["EventHub__Auth0__Tokens__0"] = Auth0Token,
            ["EventHub__Auth0__ConfirmTimeout"] = "00:00:03",
            ["EventHub__Auth0__RetryAfterSeconds"] = "1",
            [$"EventHub__Keys__faults"] = ApiKey,
            [$"EventHub__Keys__faults__Scopes__0"] = "admin",
            ["EventHub__Listeners__AllowPrivateTargets"] = "true",
            ["EventHub__Listeners__SyncInterval"] = "00:00:00.500",
            ["EventHub__Listeners__RetryPollInterval"] = "00:00:00.200",
            // These runs count what reaches the receiver, and nothing resumes a paused listener in them: a receiver down
            // while 1,000 events arrive (2 s of a fault run) would pause it and hold the rest (ListenersOnRabbitMqTests
            // covers the pause and the resume).
            ["EventHub__Listeners__PauseAfterEvents"] = "10000000",
            ["EventHub__Bus__StopTimeout"] = "00:00:02",
            ["EventHub__Security__BruteForce__Enabled"] = "false",
            ["EventHub__Security__CredentialStuffing__Enabled"] = "false",
            ["EventHub__Security__BreachedPassword__Enabled"] = "false",
        };
        var hosts = new List<HostProcess>();
        WebhookReceiver? receiver = null;
        FaultRun? run = null;
        try
        {
            // One after another: the first copy creates the schema, which copies starting side by side would race for.
            for (var copy = 0; copy < copies; copy++)
            {
                hosts.Add(await HostProcess.StartAsync(settings, hostAssembly: hostAssembly));
                await hosts[copy].WaitForOutputAsync("Bus started: rabbitmq://", Eventually.DefaultLimit);
            }

            receiver = await WebhookReceiver.StartAsync();
            run = new FaultRun(settings, connectionString, hosts, receiver, "fault-" + Guid.NewGuid().ToString("N")[..8]);
            await run.RegisterListenerAsync(retry);
            return run;
        }
        catch
        {
            if (run is not null)
            {
                await run.DisposeAsync();
            }
            else
            {
                foreach (var host in hosts)
                    await host.DisposeAsync();
                if (receiver is not null)
                    await receiver.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// A further sender (its own log_ids) posting to the given copies in turn, starting with <paramref name="firstCopy"/>;
    /// what it gets acknowledged counts in <see cref="SettleAsync"/> like the run's own stream.
    /// </summary>
    public Auth0Sender NewSender(IReadOnlyList<int> copies, int firstCopy = 0)
    {
        var sender = new Auth0Sender([.. copies.Select(copy => _copyClients[copy])], Auth0Token, new Auth0Batches($"{_prefix}-{_senders.Count}"), _started, firstCopy);
        _senders.Add(sender);
        return sender;
    }

    async Task RegisterListenerAsync(object? retry)
    {
        var body = new JsonObject
        {
            ["name"] = "fault-listener",
            ["events"] = new JsonArray("auth0.#"),
            ["delivery"] = new JsonObject { ["type"] = "webhook", ["url"] = Receiver.Url },
        };
        if (retry is not null)
            body["retry"] = JsonSerializerNode(retry);
        var response = await Http.PostAsJsonAsync("/v1/listeners", body);
        var listener = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Listener registration failed: {listener}");
        ListenerId = listener["id"]!.GetValue<string>();
        Receiver.Secret = listener["secret"]!.GetValue<string>();
        // Every copy reads the registry (every SyncInterval) and starts consuming the listener's queue on its own.
        await Task.WhenAll(_hosts.Select(WaitUntilDeliveringAsync));
    }

    Task WaitUntilDeliveringAsync(HostProcess host) =>
        host.WaitForOutputAsync($"Delivering to listener {ListenerId}", Eventually.DefaultLimit);

    static JsonNode JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;

    /// <summary>SIGKILL, then a new host process on the same port with the same settings.</summary>
    public async Task KillAndRestartHostAsync()
    {
        await KillHostAsync(0);
        await RestartHostAsync(0);
    }

    /// <summary>SIGKILL one copy: no chance to clean up; its port refuses connections until <see cref="RestartHostAsync"/>.</summary>
    public Task KillHostAsync(int copy) => _hosts[copy].KillAsync();

    /// <summary>SIGTERM one copy, as a rolling deployment does, then this build of the host in its place (its port, its settings).</summary>
    public async Task ReplaceHostAsync(int copy)
    {
        await _hosts[copy].TerminateAsync(TimeSpan.FromSeconds(60));
        await RestartHostAsync(copy);
    }

    /// <summary>A new process for a killed copy, on its port with the same settings, once its bus has started.</summary>
    public async Task RestartHostAsync(int copy)
    {
        var port = _hosts[copy].Port;
        await _hosts[copy].DisposeAsync();
        var restarting = System.Diagnostics.Stopwatch.StartNew();
        _hosts[copy] = await HostProcess.StartAsync(_settings, port);
        await _hosts[copy].WaitForOutputAsync("Bus started: rabbitmq://", Eventually.DefaultLimit);
        TestContext.Current.SendDiagnosticMessage($"copy {copy} restarted: bus started {restarting.Elapsed.TotalSeconds:0.0} s after its process");
    }

    /// <summary>Completes when the copy consumes the listener's queue (a restarted copy finds the listener in the registry).</summary>
    public Task DeliveringAsync(int copy) => WaitUntilDeliveringAsync(_hosts[copy]);

    /// <summary>Copies that stopped by themselves and were started again by <see cref="SuperviseAsync"/>.</summary>
    public int SupervisorRestarts { get; private set; }

    /// <summary>
    /// Plays the container's restart policy until canceled: a copy that exits by itself (the host stops with exit code 70
    /// when its RabbitMQ client is wedged, docs/adr/0011) is started again on its port.
    /// </summary>
    public async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var running = _hosts.ToList();
            await Task.WhenAny(running.Select(host => host.ExitedAsync(cancellationToken))).ContinueWith(_ => { }, TaskScheduler.Default);
            for (var copy = 0; copy < _hosts.Count && !cancellationToken.IsCancellationRequested; copy++)
            {
                if (!_hosts[copy].HasExited)
                    continue;
                SupervisorRestarts++;
                await RestartHostAsync(copy);
            }
        }
    }

    /// <summary>Takes the receiver off the network: deliveries meet a refused connection.</summary>
    public async Task StopReceiverAsync()
    {
        await Receiver.DisposeAsync();
        _stoppedReceivers.Add(Receiver);
    }

    /// <summary>Brings the receiver back on the same URL.</summary>
    public async Task StartReceiverAsync()
    {
        var secret = Receiver.Secret;
        Receiver = await WebhookReceiver.StartAsync(Receiver.Port);
        Receiver.Secret = secret;
    }

    IEnumerable<WebhookReceiver.Delivery> AllDeliveries() => _stoppedReceivers.Append(Receiver).SelectMany(r => r.Received);

    /// <summary>
    /// Waits (checking every 200 ms, for at most <paramref name="limit"/>) until every acknowledged log_id is in the
    /// event log and was answered 2xx at the receiver, except <paramref name="exceptAtListener"/>; returns the figures
    /// either way, so a failing test still says what was lost.
    /// </summary>
    public async Task<FaultFigures> SettleAsync(TimeSpan limit, IReadOnlyCollection<string>? exceptAtListener = null)
    {
        IReadOnlyCollection<string> acknowledged = [.. _senders.SelectMany(sender => sender.Acknowledged)];
        var expectedAtListener = acknowledged.Except(exceptAtListener ?? []).ToHashSet(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(limit);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            var figures = await MeasureAsync(acknowledged, expectedAtListener);
            if (figures.Lost == 0)
                return figures;
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return figures;
            }
        }
    }

    async Task<FaultFigures> MeasureAsync(IReadOnlyCollection<string> acknowledged, HashSet<string> expectedAtListener)
    {
        var inLog = await StoredIdsAsync(acknowledged);
        var delivered = AllDeliveries().Where(d => d.AnsweredStatus is >= 200 and < 300).Select(d => d.WebhookId).ToList();
        var deliveredOnce = delivered.ToHashSet(StringComparer.Ordinal);
        var missingInLog = acknowledged.Count(id => !inLog.Contains(id));
        var missingAtListener = expectedAtListener.Count(id => !deliveredOnce.Contains(id));
        var lost = acknowledged.Count(id => !inLog.Contains(id) || (expectedAtListener.Contains(id) && !deliveredOnce.Contains(id)));
        return new FaultFigures(
            _senders.Sum(sender => sender.EntriesSent),
            acknowledged.Count,
            acknowledged.Count - missingInLog,
            expectedAtListener.Count - missingAtListener,
            delivered.Count - deliveredOnce.Count,
            lost,
            AllDeliveries().Count(d => !d.SignatureValid));
    }

    async Task<HashSet<string>> StoredIdsAsync(IReadOnlyCollection<string> ids)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM events WHERE id = ANY(@ids)", connection);
            command.Parameters.AddWithValue("ids", ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                found.Add(reader.GetString(0));
        }
        catch (NpgsqlException)
        {
            // The database may still be coming back; the next check sees it.
        }

        return found;
    }

    /// <summary>The listener's state and failing streak as the registry holds them (what a run that lost events is asked first).</summary>
    public async Task<string> ListenerStateAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state, failed_events::bigint, COALESCE(last_error, '') FROM listeners WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", ListenerId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? $"{reader.GetString(0)} (failed events in a row: {reader.GetInt64(1)}; last error: {reader.GetString(2)})" : "not registered";
    }

    /// <summary>Delivery states of the listener's transactions, read from the database.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DeliveryStatesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state, COUNT(*) FROM deliveries WHERE listener_id = @id GROUP BY state", connection);
        command.Parameters.AddWithValue("id", ListenerId);
        var states = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            states[reader.GetString(0)] = reader.GetInt64(1);
        return states;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var client in _copyClients)
            client.Dispose();
        foreach (var host in _hosts)
            await host.DisposeAsync();
        if (!_stoppedReceivers.Contains(Receiver))
            await Receiver.DisposeAsync();
    }
}
