using System.Diagnostics;

namespace EventHub.TestSupport;

/// <summary>
/// A private RabbitMQ node for one test run: own node name, free ports, data and logs under a temp dir, started from the
/// <c>rabbitmq-server</c> on PATH and always stopped. Debian's scripts run the node as the <c>rabbitmq</c> user, so the
/// tests run as root (or as rabbitmq); anything else fails with a message that says so, never a silent skip.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    readonly string _directory;
    readonly Dictionary<string, string> _environment;
    Process? _server;

    RabbitMqNode(string nodeName, int port, string directory)
    {
        NodeName = nodeName;
        Port = port;
        _directory = directory;
        _environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_DIST_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbit.pid"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
        };
    }

    public string NodeName { get; }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <summary>The node's Erlang VM (from its pid file), whose CPU time the load test reads; null before it started.</summary>
    public int? ServerPid =>
        File.Exists(_environment["RABBITMQ_PID_FILE"]) && int.TryParse(File.ReadLines(_environment["RABBITMQ_PID_FILE"]).FirstOrDefault()?.Trim(), out var pid) ? pid : null;

    public string AmqpUriOf(string virtualHost) => $"amqp://guest:guest@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}";

    /// <summary>
    /// A fresh virtual host for one test. Hosts on one node share queue names (<c>store-events</c>, listener queues), so
    /// two tests' hosts in one vhost would consume each other's messages into the wrong database.
    /// </summary>
    public async Task<string> CreateVirtualHostAsync()
    {
        var name = $"test-{Guid.NewGuid():N}"[..17];
        string[][] commands = [["add_vhost", name], ["set_permissions", "-p", name, "guest", ".*", ".*", ".*"]];
        foreach (var command in commands)
        {
            var (code, output) = await CtlAsync(command);
            if (code != 0)
                throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', command)} failed: {output}");
        }

        return name;
    }

    public static async Task<RabbitMqNode> StartAsync(string prefix = "eventhub-test")
    {
        if (!ProcessRunner.CommandExists("rabbitmq-server"))
            throw new InvalidOperationException("rabbitmq-server is not installed: run ./build.sh test (it installs it with apt as root), or apt-get install -y rabbitmq-server.");
        if (!ProcessRunner.IsRoot && Environment.UserName != "rabbitmq")
            throw new InvalidOperationException("Debian's rabbitmq-server runs only as root or as the rabbitmq user: run the broker tests as root.");

        // The ports are free when chosen but not reserved: on a busy machine another process can take one before the
        // node binds it, and the node then dies while booting. A second node with fresh ports is the remedy.
        for (var attempt = 1; ; attempt++)
        {
            var node = await CreateAsync(prefix);
            try
            {
                await node.StartServerAsync();
                return node;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await node.DisposeAsync();
            }
        }
    }

    static async Task<RabbitMqNode> CreateAsync(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory("eventhub-rmq-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), "loopback_users = none\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n");
        if (ProcessRunner.IsRoot)
            await ProcessRunner.RunAsync("chown", ["-R", "rabbitmq:rabbitmq", directory]);

        return new RabbitMqNode($"{prefix}-{Guid.NewGuid():N}"[..40] + "@localhost", FreePort.Next(), directory);
    }

    /// <summary>Starts the node's Erlang VM and waits until RabbitMQ has booted (no polling: <c>rabbitmqctl wait</c> blocks).</summary>
    public async Task StartServerAsync()
    {
        // The previous run's pid file would let `rabbitmqctl wait` read it while the new VM rewrites it.
        File.Delete(_environment["RABBITMQ_PID_FILE"]);
        var start = new ProcessStartInfo("rabbitmq-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        _server = Process.Start(start) ?? throw new InvalidOperationException("Could not start rabbitmq-server");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var (code, output) = await CtlAsync(["wait", _environment["RABBITMQ_PID_FILE"], "--timeout", "90"], TimeSpan.FromSeconds(100));
        // The pid file can be read between its creation and its write ({:garbage_in_pid_file, ...}, ci58): the VM is still
        // starting, so wait again.
        for (var again = 0; code != 0 && output.Contains("garbage_in_pid_file", StringComparison.Ordinal) && again < 3 && !_server.HasExited; again++)
            (code, output) = await CtlAsync(["wait", _environment["RABBITMQ_PID_FILE"], "--timeout", "90"], TimeSpan.FromSeconds(100));
        TestProcesses.Record(_server.Id);
        TestProcesses.RecordFromPidFile(_environment["RABBITMQ_PID_FILE"]);
        if (code != 0)
            throw new InvalidOperationException($"RabbitMQ node {NodeName} did not start: {output}\nLog dir: {_environment["RABBITMQ_LOG_BASE"]}");
    }

    /// <summary>Stops the whole node (connections drop, the port closes); <see cref="StartServerAsync"/> brings it back with its data.</summary>
    public async Task StopServerAsync()
    {
        await CtlAsync(["stop"], TimeSpan.FromSeconds(60));
        if (_server is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _server.WaitForExitAsync(limit.Token);
            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>
    /// The ids of local processes with an AMQP connection open to this node (from <c>ss</c>: rabbitmqctl's
    /// <c>list_connections</c> lists the whole cluster's connections and cannot tell two copies of the host apart).
    /// </summary>
    public async Task<IReadOnlySet<int>> ClientProcessesAsync()
    {
        var (code, output) = await ProcessRunner.RunAsync("ss", ["-tnpH", "state", "established", $"dport = :{Port}"]);
        if (code != 0)
            throw new InvalidOperationException($"ss failed: {output}");
        return System.Text.RegularExpressions.Regex.Matches(output, @"pid=(\d+)")
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
    }

    public Task<(int ExitCode, string Output)> CtlAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync("rabbitmqctl", ["-n", NodeName, .. arguments], _environment, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Queue names with their ready message counts.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ListQueuesAsync(string virtualHost = "/")
    {
        var (code, output) = await CtlAsync(["list_queues", "-p", virtualHost, "name", "messages_ready", "--quiet", "--no-table-headers"]);
        if (code != 0)
            throw new InvalidOperationException(output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Exchange names with their types.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListExchangesAsync(string virtualHost = "/")
    {
        var (code, output) = await CtlAsync(["list_exchanges", "-p", virtualHost, "name", "type", "--quiet", "--no-table-headers"]);
        if (code != 0)
            throw new InvalidOperationException(output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .ToDictionary(parts => parts[0], parts => parts[1]);
    }

    /// <summary>Bindings as (source, destination, routing key).</summary>
    public async Task<IReadOnlyList<(string Source, string Destination, string RoutingKey)>> ListBindingsAsync(string virtualHost = "/")
    {
        var (code, output) = await CtlAsync(["list_bindings", "-p", virtualHost, "source_name", "destination_name", "routing_key", "--quiet", "--no-table-headers"]);
        if (code != 0)
            throw new InvalidOperationException(output);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 3)
            .Select(parts => (parts[0], parts[1], parts[2]))];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (Exception)
        {
            _server?.Kill(entireProcessTree: true);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
