using EventHub.TestSupport;

namespace EventHub.FaultTests;

/// <summary>
/// The host as the previous release built it: the commit is exported from this repository's history and built once per
/// machine (under the temp directory, kept between runs), so a test can run it beside the current build.
/// </summary>
internal static class PreviousRelease
{
    // The release before this one: the last landing of main before batch payloads were written as JSON values (ADR 0038,
    // whose first step, in that release, reads them).
    // Move it forward at each release: the test then upgrades from the release before the one being built.
    public const string Commit = "8f1b277";

    static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The previous release's EventHub.Host.dll, built on first use.</summary>
    public static Task<string> HostAssemblyAsync() => Built.Value;

    static async Task<string> BuildAsync()
    {
        var root = HostProcess.RepositoryRoot();
        var directory = Path.Combine(Path.GetTempPath(), $"eventhub-release-{Commit}");
        var assembly = Path.Combine(directory, "src", "EventHub.Host", "bin", "Release", "net10.0", "EventHub.Host.dll");
        if (File.Exists(assembly))
            return assembly;

        // Built beside the final directory and moved in place at the end: a run stopped half-way leaves no half build.
        var building = directory + $".{Environment.ProcessId}";
        Directory.CreateDirectory(building);
        var (exported, exportOutput) = await ProcessRunner.RunAsync("sh", ["-c", $"git -C '{root}' archive --format=tar {Commit} | tar -x -C '{building}'"]);
        if (exported != 0)
            throw new InvalidOperationException($"Could not export {Commit} from {root} (a shallow clone lacks it: fetch with more history): {exportOutput}");
        var (built, buildOutput) = await ProcessRunner.RunAsync(
            "dotnet", ["build", Path.Combine(building, "src", "EventHub.Host"), "-c", "Release", "--nologo", "-v", "quiet"], timeout: TimeSpan.FromMinutes(15));
        if (built != 0)
            throw new InvalidOperationException($"Could not build {Commit}: {buildOutput}");
        if (!Directory.Exists(directory))
            Directory.Move(building, directory);
        return assembly;
    }
}
