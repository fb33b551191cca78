using System.Globalization;
using System.Net;
using System.Text;
using EventHub.TestSupport;

namespace EventHub.Integration.Tests;

/// <summary>A client that goes away before its answer is not a server error: the host logs 499, never a 500.</summary>
public sealed class ClientAbortTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_log_a_client_that_gave_up_waiting_for_a_confirm_as_499_and_not_as_a_server_error()
    {
        var settings = await HubSettings.OnRabbitMqAsync(broker.Node);
        await using var proxy = new TcpProxy(new Uri($"amqp://{broker.Node.Host}:{broker.Node.Port}"));
        settings["EventHub:RabbitMq:Port"] = proxy.Address.Port.ToString(CultureInfo.InvariantCulture);
        settings["EventHub:Emit:ConfirmTimeout"] = "00:01:00";
        await using var host = await HostProcess.StartAsync(settings.AsEnvironment());
        await host.WaitForOutputAsync("Bus started: rabbitmq://");
        using var http = HubSettings.ClientFor(host);
        using (var first = await http.PostAsync("/v1/events", Order(), Cancel))
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        // The broker's path goes silent: the next emit waits for a confirm that cannot come, and its client gives up first.
        proxy.FreezeAll();
        using (var impatient = CancellationTokenSource.CreateLinkedTokenSource(Cancel))
        {
            impatient.CancelAfter(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync("/v1/events", Order(), impatient.Token));
        }

        await host.WaitForOutputAsync("HTTP POST /v1/events responded 499").WaitAsync(Eventually.DefaultLimit, Cancel);
        Assert.DoesNotContain("responded 500", host.Output, StringComparison.Ordinal);
    }

    static StringContent Order() => new("""{"name":"order.placed","payload":{}}""", Encoding.UTF8, "application/json");
}
