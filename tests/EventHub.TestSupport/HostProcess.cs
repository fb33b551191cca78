using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace EventHub.TestSupport;

/// <summary>
/// The real EventHub host as a child process (<c>dotnet EventHub.Host.dll</c>), for tests that need a real process:
/// a real port, SIGTERM, SIGKILL, restarts. Readiness is read from its own log lines, not polled.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    readonly object _lock = new();

    HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_lock) return _output.ToString(); }
    }

    /// <summary>Starts the host with the given settings (as environment variables) and waits until it listens.</summary>
    /// <remarks><paramref name="hostAssembly"/>: another build of the host (an earlier release) instead of this one.</remarks>
    public static async Task<HostProcess> StartAsync(IDictionary<string, string> settings, int? port = null, TimeSpan? timeout = null, string? hostAssembly = null)
    {
        // A port is free when FreePort asks, not necessarily seconds later when the host binds it (an outgoing connection of
        // any process can take it in between): a host that exits for that starts again on another port, unless the test
        // chose the port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(settings, port ?? FreePort.Next(), timeout, hostAssembly);
            }
            catch (PortTakenException) when (port is null && attempt < 3)
            {
            }
        }
    }

    static async Task<HostProcess> StartOnceAsync(IDictionary<string, string> settings, int port, TimeSpan? timeout, string? hostAssembly)
    {
        var process = Launch(settings, port, out var actualPort, hostAssembly: hostAssembly);
        var host = new HostProcess(process, actualPort);
        host.Attach();
        var listening = host.WaitForOutputAsync("Now listening on:");
        var exited = process.WaitForExitAsync();
        string? failure = null;
        try
        {
            if (await Task.WhenAny(listening, exited).WaitAsync(timeout ?? Eventually.DefaultLimit) == exited)
                failure = "it exited";
        }
        catch (TimeoutException)
        {
            failure = "timed out";
        }

        if (failure is not null)
        {
            await host.DisposeAsync();
            var message = $"The host did not start listening ({failure}):\n{host.Output}";
            throw failure == "it exited" && host.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                ? new PortTakenException(message)
                : new InvalidOperationException(message);
        }

        return host;
    }

    sealed class PortTakenException(string message) : InvalidOperationException(message);

    /// <summary>Runs the host expecting it to fail at startup; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(IDictionary<string, string> settings, TimeSpan timeout, int? port = null)
    {
        var listenOn = port ?? FreePort.Next();
        return RunToExitAsync(Launch(settings, listenOn, out _), listenOn, timeout);
    }

    /// <summary>Runs one of the host's commands (<c>EventHub.Host migrate-queues</c>, say); returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(IDictionary<string, string> settings, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunToExitAsync(Launch(settings, 0, out _, arguments), 0, timeout);

    static async Task<(int ExitCode, string Output)> RunToExitAsync(Process process, int port, TimeSpan timeout)
    {
        var host = new HostProcess(process, port);
        host.Attach();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, host.Output);
    }

    public Task WaitForOutputAsync(string text)
    {
        lock (_lock)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
                seen.SetResult();
            else
                _waiters.Add((text, seen));
            return seen.Task;
        }
    }

    /// <summary>
    /// Waits for a line at most <paramref name="limit"/>; a timeout carries the host's last lines, so a CI failure says
    /// where the host stood.
    /// </summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        try
        {
            await WaitForOutputAsync(text).WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            var lines = Output.Split('\n');
            throw new TimeoutException(
                $"The host (pid {Id}{(HasExited ? $", exited with {_process.ExitCode}" : "")}) did not print '{text}' within {limit}. "
                + $"Its health: {await HealthAsync()}\nIts last lines:\n{string.Join('\n', lines.TakeLast(60))}");
        }
    }

    /// <summary>What <c>/health</c> answers (every check, the bus's endpoints among them), or why it did not answer.</summary>
    async Task<string> HealthAsync()
    {
        if (HasExited)
            return "not asked (exited)";
        try
        {
            using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync("/health");
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"no answer ({e.GetType().Name})";
        }
    }

    /// <summary>SIGTERM, as a container runtime or systemd sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Completes when the process exits, whoever ended it.</summary>
    public Task ExitedAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    static Process Launch(IDictionary<string, string> settings, int port, out int actualPort, IReadOnlyList<string>? command = null, string? hostAssembly = null)
    {
        actualPort = port;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("eventhub-host-").FullName,
        };
        start.ArgumentList.Add(hostAssembly ?? HostAssemblyPath());
        foreach (var argument in command ?? ["--urls", $"http://127.0.0.1:{port}"])
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host");
        TestProcesses.Record(process.Id);
        return process;
    }

    void Attach()
    {
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
        {
            _output.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Text, StringComparison.Ordinal))
                    continue;
                _waiters[i].Seen.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// The host built next to the tests: src/EventHub.Host/bin/&lt;configuration&gt;/net10.0/EventHub.Host.dll, or the one
    /// <c>EVENTHUB_HOST_DLL</c> names (the load test runs the published host).
    /// </summary>
    public static string HostAssemblyPath()
    {
        if (Environment.GetEnvironmentVariable("EVENTHUB_HOST_DLL") is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new FileNotFoundException($"EVENTHUB_HOST_DLL names {given}, which does not exist.");
        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepositoryRoot(), "src", "EventHub.Host", "bin", configuration, "net10.0", "EventHub.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the host first: {path} is missing.");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventHub.sln")))
                return directory.FullName;
        }

        throw new DirectoryNotFoundException("EventHub.sln not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
