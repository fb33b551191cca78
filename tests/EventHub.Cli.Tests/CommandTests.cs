using System.Text.Json;
using EventHub.Client;
using EventHub.TestSupport;

namespace EventHub.Cli.Tests;

/// <summary>emit, events, listeners, dead-letters and auth0 send against the real host over RabbitMQ, run as a user runs them.</summary>
public sealed class CommandTests(CliHub hub) : IClassFixture<CliHub>
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Emit_takes_the_payload_from_a_file_and_events_finds_it_in_the_log()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("eventhub-cli-").FullName, "payload.json");
        await File.WriteAllTextAsync(file, """{"order": 42, "customer": "ada"}""", Cancel);

        var (exit, output) = await Cli.RunAsync(hub.Environment, "emit", "cli.file.placed", "--data", "@" + file, "--json");

        Assert.True(exit == 0, output);
        var id = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        var events = await Eventually.UntilAsync(
            async () => JsonDocument.Parse((await Cli.RunAsync(hub.Environment, "events", "--name", "cli.file.*", "--json")).Output).RootElement,
            list => list.GetArrayLength() > 0, Eventually.DefaultLimit, "the emitted event in the log");
        var logged = Assert.Single(events.EnumerateArray());
        Assert.Equal(id, logged.GetProperty("id").GetString());
        Assert.Equal("ada", logged.GetProperty("payload").GetProperty("customer").GetString());
    }

    [Fact]
    public async Task Auth0_send_posts_entries_of_each_code_that_the_hub_publishes_under_their_names()
    {
        var (exit, output) = await Cli.RunAsync(hub.Environment, "auth0", "send", "f", "s", "pwd_leak", "--json");

        Assert.True(exit == 0, output);
        var sent = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["auth0.auth.login.fail.f", "auth0.auth.login.success.s", "auth0.other.pwd_leak"], sent.Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        await using var client = hub.Client();
        foreach (var entry in sent)
        {
            var id = entry.GetProperty("id").GetString()!;
            var logged = await Eventually.UntilAsync(
                async () => await client.GetEventsAsync(new EventQuery { Name = entry.GetProperty("name").GetString() }, Cancel).FirstOrDefaultAsync(e => e.Id == id, Cancel),
                e => e is not null, Eventually.DefaultLimit, $"{id} in the log");
            Assert.Equal(entry.GetProperty("code").GetString(), logged!.Payload.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Listeners_ls_show_and_rm_manage_a_registered_listener()
    {
        await using var client = hub.Client();
        var subscription = await client.OnAsync("cli.managed.*", (_, _) => Task.CompletedTask, new ListenOptions { Platform = "cli-test" }, Cancel);
        await subscription.DisposeAsync();

        var (lsExit, ls) = await Cli.RunAsync(hub.Environment, "listeners", "ls", "--json");
        Assert.True(lsExit == 0, ls);
        Assert.Contains(JsonDocument.Parse(ls).RootElement.EnumerateArray(), l => l.GetProperty("id").GetString() == subscription.ListenerId);
        var (showExit, show) = await Cli.RunAsync(hub.Environment, "listeners", "show", subscription.ListenerId, "--json");
        Assert.True(showExit == 0, show);
        var shown = JsonDocument.Parse(show).RootElement;
        Assert.Equal("cli.managed.*", shown.GetProperty("events")[0].GetString());
        Assert.Equal(JsonValueKind.Object, shown.GetProperty("transactions").ValueKind);
        var (tableExit, table) = await Cli.RunAsync(hub.Environment, "listeners", "show", subscription.ListenerId);
        Assert.True(tableExit == 0, table);
        Assert.Contains("queue depth", table, StringComparison.Ordinal);

        var (rmExit, rm) = await Cli.RunAsync(hub.Environment, "listeners", "rm", subscription.ListenerId);

        Assert.True(rmExit == 0, rm);
        Assert.Equal(ExitCodes.NotFound, (await Cli.RunAsync(hub.Environment, "listeners", "show", subscription.ListenerId)).ExitCode);
    }

    [Fact]
    public async Task Dead_letters_ls_lists_what_exhausted_its_retries_and_replay_delivers_it_again()
    {
        await using var client = hub.Client();
        var fixedNow = 0;
        var subscription = await client.OnAsync("cli.dead.*", (_, _) => Volatile.Read(ref fixedNow) == 1 ? Task.CompletedTask : throw new InvalidOperationException("the handler is broken"),
            new ListenOptions { Platform = "cli-test", RetrySchedule = [] }, Cancel);
        await using var stop = subscription;
        var id = await client.EmitAsync("cli.dead.letter", new { n = 1 }, Cancel);
        await ListenCommandTests.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "dead");

        var (lsExit, ls) = await Cli.RunAsync(hub.Environment, "dead-letters", "ls", subscription.ListenerId, "--json");

        Assert.True(lsExit == 0, ls);
        var dead = Assert.Single(JsonDocument.Parse(ls).RootElement.EnumerateArray());
        Assert.Equal(id, dead.GetProperty("eventId").GetString());
        Assert.Contains("the handler is broken", dead.GetProperty("error").GetString(), StringComparison.Ordinal);

        Volatile.Write(ref fixedNow, 1);
        var (replayExit, replay) = await Cli.RunAsync(hub.Environment, "dead-letters", "replay", subscription.ListenerId, "--event", id, "--json");

        Assert.True(replayExit == 0, replay);
        Assert.Equal(1, JsonDocument.Parse(replay).RootElement.GetProperty("replayed").GetInt32());
        await ListenCommandTests.TransactionAsync(client, subscription.ListenerId, id, t => t.State == "succeeded");
    }
}
