namespace EventHub.Cli.Tests;

/// <summary>
/// samples/EventHub.Samples.Consumer, a MassTransit service of its own with EventHub.Contracts, started as its own
/// process on the hub's broker: the Auth0 failed logins the CLI sends reach it typed, on its own queue, and so do the
/// security alerts the hub raises from them.
/// </summary>
public sealed class SampleConsumerTests(CliHub hub) : IClassFixture<CliHub>
{
    [Fact]
    public async Task A_separate_service_consumes_IAuth0LoginFailure_from_its_own_queue()
    {
        await using var service = RunningProcess.Start(
            RunningProcess.BuiltAssembly("samples", "EventHub.Samples.Consumer"),
            new Dictionary<string, string> { ["RabbitMq__Uri"] = hub.AmqpUri, ["Queue"] = "sample-login-failures", ["DOTNET_ENVIRONMENT"] = "Production" });
        await service.LineAsync("Bus started", "the sample's bus started");

        var (exit, output) = await Cli.RunAsync(hub.Environment, "auth0", "send", "f", "fp", "s", "--json");

        Assert.True(exit == 0, output);
        var sent = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        foreach (var failure in sent.Where(s => s.GetProperty("code").GetString() is "f" or "fp"))
        {
            var line = await service.LineAsync(failure.GetProperty("id").GetString()!, "the failed login in the sample's log");
            Assert.Contains($"Login failure {failure.GetProperty("code").GetString()} ", line, StringComparison.Ordinal);
        }

        // The successful login is no IAuth0LoginFailure: by the time both failures are in, it would have been too.
        var success = sent.Single(s => s.GetProperty("code").GetString() == "s").GetProperty("id").GetString()!;
        Assert.DoesNotContain(success, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe@example.com", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_separate_service_consumes_a_security_alert_by_its_record_and_by_ISecurityAlert()
    {
        await using var service = RunningProcess.Start(
            RunningProcess.BuiltAssembly("samples", "EventHub.Samples.Consumer"),
            new Dictionary<string, string> { ["RabbitMq__Uri"] = hub.AmqpUri, ["Queue"] = "sample-security-alerts", ["DOTNET_ENVIRONMENT"] = "Production" });
        await service.LineAsync("Bus started", "the sample's bus started");

        // Ten failed logins of one account within the brute-force window (the default threshold): one alert.
        var (exit, output) = await Cli.RunAsync(hub.Environment, ["auth0", "send", .. Enumerable.Repeat("f", 10), "--json"]);

        Assert.True(exit == 0, output);
        var typed = await service.LineAsync("Brute force sec-", "the BruteForceDetected record in the sample's log");
        var eventId = typed[typed.IndexOf("sec-", StringComparison.Ordinal)..].Split(':')[0];
        Assert.Contains(": 10 failed logins between ", typed, StringComparison.Ordinal);
        var byInterface = await service.LineAsync($"Security alert security.brute_force.detected {eventId} over 10 Auth0 entries", "the same alert through ISecurityAlert");
        Assert.Contains(eventId, byInterface, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe@example.com", service.Output, StringComparison.Ordinal);
    }
}
