using System.Reflection;
using System.Text.Json;
using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary>
/// The README's install as a user runs it: the CLI packed as a .NET tool, installed from that folder and run as
/// <c>eventhub</c> against a hub. Only the folder is a package source, so no package of the same name elsewhere can stand in.
/// </summary>
public sealed class ToolInstallTests(CliHub hub) : IClassFixture<CliHub>
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_and_emits_to_the_hub()
    {
        var work = Directory.CreateTempSubdirectory("eventhub-cli-tool-").FullName;
        var packages = Path.Combine(work, "nupkg");
        var tools = Path.Combine(work, "tools");
        var config = Path.Combine(work, "nuget.config");
        await File.WriteAllTextAsync(config, $"""<configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""", TestContext.Current.CancellationToken);
        var configuration = typeof(ToolInstallTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        // --no-build packs what the build made; the README's `dotnet pack` builds first.
        var pack = await ProcessRunner.RunAsync("dotnet", ["pack", Path.Combine(HostProcess.RepositoryRoot(), "src", "EventHub.Cli"), "--no-build", "-c", configuration, "-o", packages], timeout: Limit);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var install = await ProcessRunner.RunAsync("dotnet", ["tool", "install", "EventHub.Cli", "--tool-path", tools, "--configfile", config], timeout: Limit);
        Assert.True(install.ExitCode == 0, install.Output);

        var (exit, output) = await ProcessRunner.RunAsync(Path.Combine(tools, "eventhub"), ["emit", "cli.installed", "--data", """{"n": 1}""", "--json"], hub.Environment, Limit);

        Assert.True(exit == 0, output);
        var id = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        var events = await Eventually.UntilAsync(
            async () => JsonDocument.Parse((await ProcessRunner.RunAsync(Path.Combine(tools, "eventhub"), ["events", "--name", "cli.installed", "--json"], hub.Environment, Limit)).Output).RootElement,
            list => list.GetArrayLength() > 0, Eventually.DefaultLimit, "the installed tool's event in the log");
        Assert.Equal(id, Assert.Single(events.EnumerateArray()).GetProperty("id").GetString());
    }
}
