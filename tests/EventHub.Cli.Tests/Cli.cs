using System.Diagnostics;
using System.Reflection;
using System.Text;
using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary>The exit codes as the README documents them (numbers, not the CLI's constants: a renumbering must fail here).</summary>
internal static class ExitCodes
{
    public const int BadInput = 2;
    public const int BadKey = 3;
    public const int Unreachable = 4;
    public const int NotFound = 5;
}

/// <summary>The built <c>eventhub</c> tool run as a process (<c>dotnet EventHub.Cli.dll</c>), as a user's shell runs it.</summary>
internal static class Cli
{
    public static Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [AssemblyPath(), .. args], environment, TimeSpan.FromSeconds(90));

    public static RunningProcess Start(IDictionary<string, string> environment, params string[] args) => RunningProcess.Start(AssemblyPath(), environment, args);

    static string AssemblyPath() => RunningProcess.BuiltAssembly("src", "EventHub.Cli");
}

/// <summary>A long-running .NET program (listen, tail, a sample service): its output as it comes, SIGTERM as Ctrl+C would stop it.</summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly Lock _lock = new();

    RunningProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static RunningProcess Start(string assembly, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return new RunningProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}"));
    }

    /// <summary>A project's build output next to the tests': &lt;folder&gt;/&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;project&gt;.dll.</summary>
    public static string BuiltAssembly(string folder, string project)
    {
        var configuration = typeof(RunningProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(HostProcess.RepositoryRoot(), folder, project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.");
    }

    public string Output
    {
        get { lock (_lock) return _output.ToString(); }
    }

    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The first line containing <paramref name="text"/>, once it is printed.</summary>
    public async Task<string> LineAsync(string text, string what)
    {
        var line = await Eventually.UntilAsync(
            () => Task.FromResult(Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))), l => l is not null || _process.HasExited, Eventually.DefaultLimit, what);
        return line ?? throw new InvalidOperationException($"The process exited before printing {what}:\n{Output}");
    }

    /// <summary>SIGTERM (what Ctrl+C's SIGINT also does here); returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var limit = new CancellationTokenSource(Eventually.DefaultLimit);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    void Append(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
            _output.AppendLine(line);
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
