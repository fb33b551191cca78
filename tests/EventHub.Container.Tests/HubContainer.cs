using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventHub.TestSupport;

namespace EventHub.Container.Tests;

/// <summary>
/// One EventHub container on the host network, run attached (<c>podman run</c> in the foreground) so its log lines
/// arrive as they are written, and removed when disposed. Port and settings are environment variables, as in production.
/// </summary>
internal sealed class HubContainer : IAsyncDisposable
{
    readonly Process _run;
    readonly StringBuilder _output = new();
    readonly object _lock = new();

    HubContainer(string name, int port, Process run)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _run = run;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public string Output
    {
        get { lock (_lock) return _output.ToString(); }
    }

    public static HubContainer Start(string image, IDictionary<string, string> settings)
    {
        var name = $"eventhub-test-{Guid.NewGuid():N}"[..30];
        var port = FreePort.Next();
        var start = new ProcessStartInfo("podman") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in Podman.Environment)
            start.Environment[key] = value;
        // Host networking: the private broker and PostgreSQL listen on 127.0.0.1, and so does nothing else of the container.
        foreach (var argument in new[] { "run", "--name", name, "--network", "host", "-e", $"ASPNETCORE_HTTP_PORTS={port}" })
            start.ArgumentList.Add(argument);
        // ./build.sh test removes the containers of its own run by this label when the run ends, whatever happened to the test.
        start.ArgumentList.Add("--label");
        start.ArgumentList.Add($"eventhub.test-run={Environment.GetEnvironmentVariable("EVENTHUB_TEST_RUN") ?? "none"}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add($"{key}={value}");
        }

        start.ArgumentList.Add(image);
        var run = Process.Start(start) ?? throw new InvalidOperationException("Could not start podman run");
        var container = new HubContainer(name, port, run);
        run.OutputDataReceived += (_, e) => container.OnLine(e.Data);
        run.ErrorDataReceived += (_, e) => container.OnLine(e.Data);
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        return container;
    }

    void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
                _output.AppendLine(line);
        }
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (the bus is connected and the database migrated).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            if (_run.HasExited)
                throw new InvalidOperationException($"Container {Name} exited with {_run.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/health/ready"), timeout.Token);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                break;
            }
        }
        while (await WaitTick(timer, timeout.Token));

        throw new TimeoutException($"Container {Name} did not become ready in {limit}:\n{Output}");
    }

    static async Task<bool> WaitTick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The uid the container's main process runs as, read from the host's /proc.</summary>
    public async Task<int> ProcessUidAsync()
    {
        var pid = (await Podman.RunAsync(TimeSpan.FromSeconds(30), "inspect", "--format", "{{.State.Pid}}", Name)).Trim();
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        var uid = status.Single(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        return int.Parse(uid, CultureInfo.InvariantCulture);
    }

    /// <summary><c>podman healthcheck run</c>: the image's own HEALTHCHECK, run now; 0 is healthy.</summary>
    public async Task<(int ExitCode, string Output)> HealthCheckAsync() =>
        await Podman.TryAsync(TimeSpan.FromSeconds(60), "healthcheck", "run", Name);

    /// <summary><c>podman stop</c> (SIGTERM, then SIGKILL after the grace period); returns the container's exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        await Podman.RunAsync(grace + TimeSpan.FromSeconds(30), "stop", "--time", ((int)grace.TotalSeconds).ToString(CultureInfo.InvariantCulture), Name);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _run.WaitForExitAsync(limit.Token);
        var code = (await Podman.RunAsync(TimeSpan.FromSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", Name)).Trim();
        return int.Parse(code, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Podman.TryAsync(TimeSpan.FromSeconds(60), "rm", "--force", "--time", "0", Name);
        if (!_run.HasExited)
            _run.Kill(entireProcessTree: true);
        await _run.WaitForExitAsync();
        _run.Dispose();
    }
}
