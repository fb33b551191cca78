using EventHub.TestSupport;

namespace EventHub.Container.Tests;

/// <summary>
/// Builds the EventHub image once per test run exactly as the README says (a self-contained publish, then
/// <c>docker/Dockerfile</c>), in a copy of the sources so the working tree's obj/ folders are left alone, on the
/// bootstrapped Debian base instead of Microsoft's image. The image is removed afterwards.
/// </summary>
public sealed class ImageFixture : IAsyncLifetime
{
    string? _directory;

    public string Tag { get; } = $"localhost/eventhub-test:{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        Podman.EnsureInstalled();
        var (exists, _) = await Podman.TryAsync(TimeSpan.FromSeconds(30), "image", "exists", Podman.BaseImage);
        if (exists != 0)
            throw new InvalidOperationException($"{Podman.BaseImage} is missing: ./build.sh test bootstraps it (debootstrap + podman import).");

        var root = HostProcess.RepositoryRoot();
        _directory = Directory.CreateTempSubdirectory("eventhub-image-").FullName;
        CopySources(root, _directory);

        var (published, output) = await ProcessRunner.RunAsync(
            "dotnet",
            ["publish", Path.Combine(_directory, "src", "EventHub.Host"), "-c", "Release", "-r", "linux-x64", "--self-contained",
             "-o", Path.Combine(_directory, "artifacts", "publish"), "--nologo", "-v", "quiet"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            TimeSpan.FromMinutes(8));
        if (published != 0)
            throw new InvalidOperationException($"dotnet publish failed ({published}):\n{output}");

        await Podman.RunAsync(
            TimeSpan.FromMinutes(5),
            "build", "--format", "docker", "--build-arg", $"BASE_IMAGE={Podman.BaseImage}", "-f", Path.Combine(_directory, "docker", "Dockerfile"), "-t", Tag, _directory);
    }

    /// <summary>What `git clone` would give the publish: sources and build settings, no bin/obj, no local data.</summary>
    static void CopySources(string root, string target)
    {
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", ".dockerignore" })
            File.Copy(Path.Combine(root, file), Path.Combine(target, file));
        foreach (var folder in new[] { "src", "docker" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "data"))
                    continue;
                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Podman.TryAsync(TimeSpan.FromSeconds(60), "rmi", "-f", Tag);
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
