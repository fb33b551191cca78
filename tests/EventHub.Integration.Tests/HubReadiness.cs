using System.Net;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>
/// On RabbitMQ the host serves before its bus has started: it answers 503 to ingress until then, and `eventhub.events`
/// may not be declared yet (a queue bound to it then fails with 404). A connected endpoint's Ready says neither. Tests
/// that post or bind first wait for the readiness probe.
/// </summary>
internal static class HubReadiness
{
    public static Task WaitAsync(HttpClient http) =>
        Eventually.UntilAsync(
            async () =>
            {
                using var ready = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                return ready.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            what: "the hub ready (its bus started)");
}
