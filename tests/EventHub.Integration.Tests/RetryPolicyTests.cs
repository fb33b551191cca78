using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Composition.Retry;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>
/// The retry filters of every receive endpoint of the real host (in-memory bus, one webhook listener), read from
/// MassTransit's probe of its own pipes: each pipe that retries holds exactly its kind's policy, once; the detections hold
/// their two disjoint filters; the temporary per-copy endpoints none. A second retry filter anywhere on an endpoint, or an
/// endpoint of no known kind, fails it. How many attempts a policy gives is StoreEventsRetryTests'.
/// </summary>
public sealed class RetryPolicyTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_endpoint_retries_with_its_kinds_named_policy_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var hub = new EmbeddedHub(new() { ["EventHub:Listeners:AllowPrivateTargets"] = "true" });
        var response = await hub.Http.PostAsJsonAsync("/v1/listeners", new { name = "orders", events = new[] { "order.*" }, delivery = new { type = "webhook", url = receiver.Url } }, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var bus = hub.Services.GetRequiredService<IBus>();

        var endpoints = await Eventually.UntilAsync(
            () => Task.FromResult(JsonNode.Parse(JsonSerializer.Serialize(bus.GetProbeResult(Cancel)))!["Results"]!["bus"]!["host"]!["receiveEndpoint"]!.AsArray()),
            all => all.Any(e => Name(e!).StartsWith("eventhub.listener.", StringComparison.Ordinal)),
            what: "the listener's delivery endpoint");

        var policies = new RetryPolicies();
        var kinds = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = Name(endpoint!);
            var (kind, expected) = name switch
            {
                "store-events" => ("store", new[] { policies.StoreEvents }),
                _ when name.StartsWith("eventhub.listener.", StringComparison.Ordinal) => ("listener delivery", [policies.ListenerDelivery]),
                "evaluate-rules" => ("detections", [policies.Detections, policies.DetectionConflicts]),
                _ when name.StartsWith("live-feed-", StringComparison.Ordinal) || name.StartsWith("settle-pull-event-", StringComparison.Ordinal) || name.StartsWith("vm_", StringComparison.Ordinal) => ("none", []),
                _ => throw new Xunit.Sdk.XunitException($"endpoint {name} has no retry kind in this test: give it one (docs/reliability.md)"),
            };
            kinds.Add($"{name}: {kind}");
            var pipes = RetryPipes(endpoint!).ToList();
            if (expected.Length == 0)
                Assert.True(pipes.Count == 0, $"{name} retries, but its kind has no retry");
            else
                Assert.True(pipes.Count > 0 && pipes.All(retries => retries.SequenceEqual(expected.Select(Describe))), $"{name}: {string.Join(" | ", pipes.Select(p => string.Join(", ", p)))}");
        }

        Console.WriteLine(string.Join(Environment.NewLine, kinds));
        Assert.Contains("store-events: store", kinds);
        Assert.Contains("evaluate-rules: detections", kinds);
    }

    static string Name(JsonNode endpoint) => endpoint["name"]!.GetValue<string>();

    static string Describe(RetryPolicy policy) => $"{policy.Retries} retries, {policy.MinInterval.TotalMilliseconds} to {policy.MaxInterval.TotalMilliseconds} ms";

    /// <summary>The retry filters of each filter list under the endpoint that holds any.</summary>
    static IEnumerable<List<string>> RetryPipes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "filters" && value is JsonArray filters)
                    {
                        var retries = filters.OfType<JsonObject>()
                            .Where(f => f["filterType"]?.GetValue<string>() == "retry")
                            .Select(f => f["retry-consumeContext"]!)
                            .Select(r => $"{r["limit"]} retries, {r["min"]} to {r["max"]} ms")
                            .ToList();
                        if (retries.Count > 0)
                            yield return retries;
                    }

                    if (value is not null)
                        foreach (var nested in RetryPipes(value))
                            yield return nested;
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                    foreach (var nested in RetryPipes(item))
                        yield return nested;
                break;
        }
    }
}
