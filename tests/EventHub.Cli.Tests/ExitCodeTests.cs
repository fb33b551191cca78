using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary>The exit codes the README promises scripts, with the one line on stderr that says why.</summary>
public sealed class ExitCodeTests(CliHub hub) : IClassFixture<CliHub>
{
    [Fact]
    public async Task A_key_the_hub_refuses_exits_3()
    {
        var environment = hub.Environment;
        environment["EVENTHUB_KEY"] = "not-a-key";

        var (exit, output) = await Cli.RunAsync(environment, "events");

        Assert.Equal(ExitCodes.BadKey, exit);
        Assert.Contains("401", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_at_all_exits_3_saying_where_a_key_comes_from()
    {
        var environment = hub.Environment;
        environment.Remove("EVENTHUB_KEY");

        var (exit, output) = await Cli.RunAsync(environment, "listeners", "ls");

        Assert.Equal(ExitCodes.BadKey, exit);
        Assert.Contains("EVENTHUB_KEY", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_hub_exits_4()
    {
        var environment = hub.Environment;
        environment["EVENTHUB_URL"] = $"http://127.0.0.1:{FreePort.Next()}";

        var (exit, output) = await Cli.RunAsync(environment, "emit", "cli.nowhere", "--data", "{}");

        Assert.Equal(ExitCodes.Unreachable, exit);
        Assert.Contains("could not be reached", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("emit")]
    [InlineData("emit", "cli.bad", "--data", "{not json")]
    [InlineData("emit", "Not A Name", "--data", "{}")]
    [InlineData("auth0", "send", "no_such_code")]
    [InlineData("events", "--limit", "0")]
    [InlineData("listen", "cli.#", "--forward-to", "not-a-url")]
    [InlineData("frobnicate")]
    public async Task Bad_arguments_or_input_the_hub_refuses_exit_2(params string[] args)
    {
        var (exit, output) = await Cli.RunAsync(hub.Environment, args);

        Assert.True(exit == ExitCodes.BadInput, $"exit {exit}: {output}");
        Assert.StartsWith("eventhub: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_that_does_not_exist_exits_5()
    {
        var (exit, output) = await Cli.RunAsync(hub.Environment, "dead-letters", "replay", "lst_missing");

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Contains("404", output, StringComparison.Ordinal);
    }
}
