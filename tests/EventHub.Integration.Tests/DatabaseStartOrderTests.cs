using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using EventHub.TestSupport;
using Npgsql;

namespace EventHub.Integration.Tests;

/// <summary>
/// The host process started before, or together with, its database, as an orchestrator does it: it waits for the
/// database instead of aborting, and stops with one line only when waiting cannot help.
/// </summary>
public sealed class DatabaseStartOrderTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_wait_for_a_database_started_after_it_and_become_ready_by_itself()
    {
        await using var late = await PostgresCluster.StartAsync(serverRunning: false);
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        settings["EventHub:Database"] = "Postgres";
        settings["ConnectionStrings:EventHub"] = late.ConnectionString("postgres");
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        using var http = HubSettings.ClientFor(host);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Cancel)).StatusCode);
        var ready = await http.GetAsync("/health/ready", Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var database = JsonNode.Parse(await ready.Content.ReadAsStringAsync(Cancel))!["checks"]!["database"]!;
        Assert.Equal("Unhealthy", database["status"]!.GetValue<string>());
        Assert.Contains("NpgsqlException", database["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', database["description"]!.GetValue<string>());

        var record = Auth0Entries.Record("f");
        var refused = await http.PostAuth0Async(Auth0Entries.JsonArray([record]), Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var read = await http.GetAsync("/v1/events?limit=1", Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.NotNull(read.Headers.RetryAfter?.Delta);

        var clock = Stopwatch.StartNew();
        await late.StartServerAsync();
        var pgStarted = clock.Elapsed;
        await Eventually.UntilAsync(() => http.GetAsync("/health/ready", Cancel), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "ready after the database started");
        TestContext.Current.TestOutputHelper?.WriteLine($"pg_ctl start took {pgStarted.TotalSeconds:0.0} s; ready {(clock.Elapsed - pgStarted).TotalSeconds:0.0} s later");

        var accepted = await http.PostAuth0Async(Auth0Entries.JsonArray([record]), Cancel);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var logId = record["log_id"]!.GetValue<string>();
        await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{logId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the batch in the event log");
        Assert.Contains("Waiting for the Postgres database", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);

        // Lost after startup: the same 503 from the query that failed, not a 500, and ready again once it is back.
        await late.StopServerAsync();
        var lost = await http.GetAsync($"/v1/events/{logId}", Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        Assert.Equal("application/problem+json", lost.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(lost.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready", Cancel)).StatusCode);
        await late.StartServerAsync();
        await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{logId}", Cancel), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, "the event readable again");
    }

    [Fact]
    public async Task Should_become_ready_by_itself_when_the_broker_and_the_database_both_start_after_it()
    {
        await using var late = await PostgresCluster.StartAsync(serverRunning: false);
        await using var node = await RabbitMqNode.StartAsync("eventhub-test-start-order");
        var settings = await HubSettings.OnRabbitMqAsync(node);
        settings["EventHub:Database"] = "Postgres";
        settings["ConnectionStrings:EventHub"] = late.ConnectionString("postgres");
        await node.StopServerAsync();
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        using var http = HubSettings.ClientFor(host);
        var down = await (await http.GetAsync("/health/ready", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", down, StringComparison.Ordinal);
        Assert.Contains("masstransit-bus", down, StringComparison.Ordinal);

        await Task.WhenAll(late.StartServerAsync(), node.StartServerAsync());

        await Eventually.UntilAsync(() => http.GetAsync("/health/ready", Cancel), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "ready after both started");
        var record = Auth0Entries.Record("s");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAuth0Async(Auth0Entries.JsonArray([record]), Cancel)).StatusCode);
        await Eventually.UntilAsync(() => http.GetAsync($"/v1/events/{record["log_id"]!.GetValue<string>()}", Cancel), r => r.StatusCode == HttpStatusCode.OK, what: "the batch in the event log");
    }

    [Fact]
    public async Task Should_apply_the_migrations_once_when_two_copies_start_together_against_an_empty_database()
    {
        await using var late = await PostgresCluster.StartAsync(serverRunning: false);
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        settings["EventHub:Database"] = "Postgres";
        settings["ConnectionStrings:EventHub"] = late.ConnectionString("postgres");
        var environment = settings.AsEnvironment();
        var starting = new[] { HostProcess.StartAsync(environment), HostProcess.StartAsync(environment) };
        await using var first = await starting[0];
        await using var second = await starting[1];

        await late.StartServerAsync();
        foreach (var host in new[] { first, second })
        {
            using var http = HubSettings.ClientFor(host);
            await Eventually.UntilAsync(() => http.GetAsync("/health/ready", Cancel), r => r.StatusCode == HttpStatusCode.OK, Eventually.DefaultLimit, $"copy on port {host.Port} ready");
        }

        await using var connection = new NpgsqlConnection(late.ConnectionString("postgres"));
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("SELECT count(*) - count(DISTINCT (module, version)) FROM eventhub_schema", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancel));
        var applied = CountApplied(first.Output) + CountApplied(second.Output);
        await using var steps = new NpgsqlCommand("SELECT count(*) FROM eventhub_schema", connection);
        Assert.Equal((long)applied, await steps.ExecuteScalarAsync(Cancel));
    }

    [Theory]
    [InlineData("Username=postgres", "Username=no_such_role", "28000")]
    [InlineData("Database=postgres", "Database=no_such_database", "3D000")]
    public async Task Should_stop_with_one_line_naming_the_connection_string_when_postgresql_refuses_the_login(string setting, string wrong, string sqlState)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Database"] = "Postgres";
        settings["ConnectionStrings__EventHub"] = postgres.Cluster.ConnectionString("postgres").Replace(setting, wrong, StringComparison.Ordinal);

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        var line = OneStartupLine(output);
        Assert.Contains("ConnectionStrings__EventHub", line, StringComparison.Ordinal);
        Assert.Contains(sqlState, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_stop_with_one_line_when_the_database_stays_unreachable_past_the_startup_timeout()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Database"] = "Postgres";
        settings["ConnectionStrings__EventHub"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Password=s3cret-db-password;Timeout=2";
        settings["EventHub__Database__StartupTimeout"] = "00:00:03";

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(1, exitCode);
        var line = OneStartupLine(output);
        Assert.Contains("EventHub__Database__StartupTimeout", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-db-password", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/proc/eventhub-{0}.db")]
    [InlineData("{1}/a-file/eventhub.db")]
    public async Task Should_stop_with_one_line_when_the_sqlite_file_cannot_be_written(string pattern)
    {
        var folder = Directory.CreateTempSubdirectory("eventhub-unwritable-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a-file"), "not a folder", Cancel);
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["ConnectionStrings__EventHub"] = "Data Source=" + string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid().ToString("N"), folder);

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings__EventHub", OneStartupLine(output), StringComparison.Ordinal);
    }

    static int CountApplied(string output) => output.Split('\n').Count(line => line.Contains("Applied schema", StringComparison.Ordinal));

    static string OneStartupLine(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        return Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
    }
}
