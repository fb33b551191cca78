using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>Replay jobs in production shape: two host copies on one RabbitMQ and one PostgreSQL, one of them killed mid-job.</summary>
public sealed class ReplayJobsOnRabbitMqTests(BrokerFixture broker, PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_finish_on_another_copy_a_replay_whose_copy_was_killed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = (await HubSettings.ProductionAsync(broker.Node, postgres.Cluster)).AsEnvironment();
        settings["EventHub__Listeners__AllowPrivateTargets"] = "true";
        settings["EventHub__Listeners__ReplayLease"] = "00:00:03";
        await using var copyA = await HostProcess.StartAsync(settings);
        await using var copyB = await HostProcess.StartAsync(settings);
        using var httpA = HubSettings.ClientFor(copyA);
        using var httpB = HubSettings.ClientFor(copyB);

        // Emitted before the listener exists, so only the replay delivers them.
        var past = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var emitted = await Eventually.UntilAsync(
                () => httpA.PostAsJsonAsync("/v1/events", new { name = "kill.event", payload = new { i }, time = DateTimeOffset.UtcNow.AddMinutes(-30) }, Cancel),
                r => r.StatusCode != HttpStatusCode.ServiceUnavailable,
                Eventually.DefaultLimit,
                "an emit that is not answered 503");
            past.Add(JsonNode.Parse(await emitted.Content.ReadAsStringAsync(Cancel))!["ids"]![0]!.GetValue<string>());
        }

        await Eventually.UntilAsync(
            async () => JsonNode.Parse(await httpA.GetStringAsync("/v1/events?name=kill.%23&limit=1000", Cancel))!["items"]!.AsArray().Count, n => n >= 40, what: "the events in the log");
        var registered = await httpA.PostAsJsonAsync("/v1/listeners", new { name = "replayed", events = new[] { "kill.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        var listener = JsonNode.Parse(await registered.Content.ReadAsStringAsync(Cancel))!;
        var listenerId = listener["id"]!.GetValue<string>();
        receiver.Secret = listener["secret"]!.GetValue<string>();
        receiver.Delay = TimeSpan.FromMilliseconds(400);

        var started = await httpA.PostAsJsonAsync($"/v1/listeners/{listenerId}/replays", new { from = DateTimeOffset.UtcNow.AddHours(-1) }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobId = JsonNode.Parse(await started.Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        var running = $"Running replay job {jobId}";
        var holder = await Eventually.UntilAsync(
            () => Task.FromResult(copyA.Output.Contains(running, StringComparison.Ordinal) ? copyA : copyB.Output.Contains(running, StringComparison.Ordinal) ? copyB : null),
            h => h is not null,
            what: "a copy running the job");
        var (survivor, survivorHttp) = holder == copyA ? (copyB, httpB) : (copyA, httpA);
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n >= 3, what: "the first replayed deliveries");

        await holder!.KillAsync();
        var killedAt = Stopwatch.GetTimestamp();
        var atKill = receiver.Received.Count;
        await survivor.WaitForOutputAsync(running);
        Console.WriteLine($"Killed the holder after {atKill} of 40 deliveries; the other copy took the job over {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s later (lease 3 s)");
        var job = await Eventually.UntilAsync(
            async () => JsonNode.Parse(await survivorHttp.GetStringAsync($"/v1/listeners/{listenerId}/replays/{jobId}", Cancel))!,
            j => j["state"]!.GetValue<string>() != "running",
            TimeSpan.FromMinutes(2),
            "the job finished by the other copy");

        Assert.Equal("done", job["state"]!.GetValue<string>());
        Assert.Equal(past.ToHashSet(), receiver.Received.Select(r => r.WebhookId).ToHashSet());
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        // Counts are recorded with the cursor, page by page: the page the killed copy was on is counted once, by the survivor.
        Assert.Equal((40, 40), (job["matched"]!.GetValue<int>(), job["delivered"]!.GetValue<int>()));
        Console.WriteLine($"{receiver.Received.Count} deliveries for 40 events ({receiver.Received.Count - 40} delivered twice: the killed copy's unfinished page)");
    }
}
