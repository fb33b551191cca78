using EventHub.TestSupport;

namespace EventHub.Container.Tests;

/// <summary>
/// The podman CLI as these tests use it: rootful, with the repository's <c>containers.conf</c> (no default ulimits, runc)
/// passed through <c>CONTAINERS_CONF</c>, the way ./build.sh bootstraps the base image.
/// </summary>
internal static class Podman
{
    /// <summary>A minbase Debian bookworm root imported by ./build.sh test (debootstrap): official images cannot be pulled here.</summary>
    public const string BaseImage = "localhost/debian-base:bookworm";

    public static IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["CONTAINERS_CONF"] = Path.Combine(AppContext.BaseDirectory, "containers.conf"),
    };

    public static Task<(int ExitCode, string Output)> TryAsync(TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.RunAsync("podman", arguments, Environment, timeout);

    public static async Task<string> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var (code, output) = await TryAsync(timeout, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"podman {string.Join(' ', arguments)} failed ({code}):\n{output}");
    }

    public static void EnsureInstalled()
    {
        if (!ProcessRunner.CommandExists("podman"))
            throw new InvalidOperationException("podman is not installed: run ./build.sh test (it installs podman, runc and debootstrap with apt as root).");
        if (!ProcessRunner.IsRoot)
            throw new InvalidOperationException("The container tests run rootful podman: run them as root, as ./build.sh test does.");
    }
}
