using System.Net;
using System.Net.Sockets;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>The host process as an operator meets it: bad settings stop it with one clear line, SIGTERM stops it cleanly.</summary>
public sealed class HostLifecycleTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "EventHub__Transport", "Kafka", "InMemory or RabbitMq" },
        { "EventHub__Database", "Oracle", "Sqlite or Postgres" },
        { "EventHub__Database__StartupTimeout", "soon", "00:00:01 to 7.00:00:00" },
        { "EventHub__RabbitMq__Port", "99999", "1 to 65535" },
        { "EventHub__RabbitMq__Uri", "http://broker", "amqp://" },
        { "EventHub__Logging__Json", "maybe", "true or false" },
        { "EventHub__Logging__IncludePii", "maybe", "true or false" },
        { "EventHub__Auth0__MaxBodyBytes", "12", "1024 to" },
        { "EventHub__Auth0__EventStreams__MaxEvents", "0", "1 to 100000" },
        { "EventHub__Auth0__EventStreams__Tokens__0", " ", "is empty" },
        { "EventHub__Emit__MaxBatchSize", "0", "1 to 10000" },
        { "EventHub__Retention__Days", "0", "1 to 3650" },
        { "EventHub__Listeners__DefaultTimeoutSeconds", "600", "1 to 60" },
        { "EventHub__RabbitMq__QuorumQueues", "perhaps", "true or false" },
        { "EventHub__RabbitMq__DeliveryLimit", "0", "1 to 1000" },
        { "EventHub__RabbitMq__HeartbeatSeconds", "0", "1 to 600" },
        { "EventHub__RabbitMq__Nodes__0", "rabbit-1:notaport", "host:port" },
        { "EventHub__Pacing__Lag", "-00:00:01", "00:00:00 (no pacing) to 00:01:00" },
        { "EventHub__Pacing__MostWait", "a while", "00:00:00 (no pacing) to 00:01:00" },
        { "EventHub__Bus__StopTimeout", "forever", "00:10:00" },
        { "EventHub__Bus__RetryMaxInterval", "00:00:00.010", "00:00:00.1 to 00:10:00" },
        { "EventHub__Security__BruteForce__Threshold", "1", "2 to 10000" },
        { "EventHub__Security__CredentialStuffing__Window", "00:00:00", "00:00:01 to 1.00:00:00" },
        { "EventHub__Detections__RulesPath", "/nonexistent/eventhub-rules", "is not a folder" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Should_exit_non_zero_with_one_line_naming_a_bad_setting(string key, string value, string allowed)
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        if (key.StartsWith("EventHub__RabbitMq", StringComparison.Ordinal))
        {
            settings["EventHub__Transport"] = "RabbitMq";
            settings["EventHub__RabbitMq__Host"] = "127.0.0.1";
        }

        settings[key] = value;

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.Contains(allowed, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_to_start_without_an_auth0_token_unless_anonymous_is_allowed_explicitly()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings.Remove("EventHub__Auth0__Tokens__0");

        var (exitCode, output) = await HostProcess.RunToExitAsync(settings, Eventually.DefaultLimit);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("EventHub__Auth0__Tokens__0 is required", output, StringComparison.Ordinal);

        settings["EventHub__Auth0__AllowAnonymous"] = "true";
        await using var host = await HostProcess.StartAsync(settings);
        Assert.Contains("accepts unauthenticated requests", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_exit_with_code_2_and_one_line_naming_the_address_when_its_port_is_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await HostProcess.RunToExitAsync(HubSettings.Embedded().AsEnvironment(), Eventually.DefaultLimit, port);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}", "certificate")]
    [InlineData("http://192.0.2.1:{0}", "assign requested address")]
    public async Task Should_exit_with_code_2_and_one_line_saying_why_when_it_cannot_listen_where_told(string url, string why)
    {
        var address = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, FreePort.Next());

        var (exitCode, output) = await HostProcess.RunCommandAsync(HubSettings.Embedded().AsEnvironment(), ["--urls", address], Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains(why, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:notaport", "ASPNETCORE_URLS (or --urls) 'http://127.0.0.1:notaport' has 'notaport' for a port")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:5000:6000", "ASPNETCORE_URLS (or --urls) 'http://127.0.0.1:5000:6000' has '127.0.0.1:5000' for a host")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "eighty", "ASPNETCORE_HTTP_PORTS has 'eighty' for a port")]
    public async Task Should_exit_with_code_2_naming_an_address_kestrel_would_read_as_every_interface(string setting, string value, string line)
    {
        // Without the check Kestrel takes "127.0.0.1:notaport" for a host name and listens on every interface, port 80.
        var settings = HubSettings.Embedded().AsEnvironment();
        IReadOnlyList<string> arguments = [];
        if (setting == "--urls")
            arguments = ["--urls", value];
        else
            settings[setting] = value;

        var (exitCode, output) = await HostProcess.RunCommandAsync(settings, arguments, Eventually.DefaultLimit);

        Assert.Equal(2, exitCode);
        var refusal = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("EventHub cannot start:", StringComparison.Ordinal));
        Assert.Contains(line, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_health_and_say_what_an_embedded_run_does_not_keep()
    {
        await using var host = await HostProcess.StartAsync(HubSettings.Embedded().AsEnvironment());
        using var http = HubSettings.ClientFor(host);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Cancel)).StatusCode);
        var ready = await http.GetAsync("/health/ready", Cancel);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.Contains("\"masstransit-bus\"", body, StringComparison.Ordinal);
        Assert.Contains("do not survive a restart", host.Output, StringComparison.Ordinal);
        Assert.Contains("EventHub__Transport=RabbitMq", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_report_not_ready_naming_the_broker_when_rabbitmq_is_unreachable()
    {
        var settings = HubSettings.Embedded().AsEnvironment();
        settings["EventHub__Transport"] = "RabbitMq";
        settings["EventHub__RabbitMq__Host"] = "127.0.0.1";
        settings["EventHub__RabbitMq__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["EventHub__RabbitMq__Password"] = "s3cret-password-value";
        await using var host = await HostProcess.StartAsync(settings);
        using var http = HubSettings.ClientFor(host);

        var ready = await http.GetAsync("/health/ready", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("masstransit-bus", await ready.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Cancel)).StatusCode);
        Assert.DoesNotContain("s3cret-password-value", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_stop_cleanly_with_exit_code_zero_on_sigterm()
    {
        await using var host = await HostProcess.StartAsync(HubSettings.Embedded().AsEnvironment());

        var exitCode = await host.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", host.Output, StringComparison.Ordinal);
    }
}
