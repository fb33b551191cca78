using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Publishing;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Events.Tests;

/// <summary>The one confirmed-publish path of every ingress, on MassTransit's in-memory harness with a publish that can be made to fail.</summary>
public sealed class ConfirmedPublisherTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly FailingPublish _failing = new();
    readonly FakeTimeProvider _time = new();
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddConfirmedPublishing()
            .AddMassTransitTestHarness(_ => { })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _harness.Bus.ConnectPublishObserver(_failing);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop(Cancel);
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Every_event_of_a_request_is_published_and_confirmed_together()
    {
        var publisher = _provider.GetRequiredService<ConfirmedPublisher>();
        var events = Enumerable.Range(0, 50).Select(i => Event($"confirmed-{i}")).ToList();

        var confirmation = await publisher.PublishAsync(events, TimeSpan.FromSeconds(30), Cancel);

        Assert.True(confirmation.IsConfirmed, confirmation.Refusal);
        foreach (var e in events)
            Assert.True(await _harness.Published.Any<EmittedEvent>(p => p.Context.Message.EventId == e.EventId, Cancel));
        Assert.Equal(TimeSpan.Zero, _provider.GetRequiredService<PublishFailures>().FailingFor);
    }

    [Fact]
    public async Task One_unconfirmed_event_refuses_the_request_and_counts_as_failing_until_a_publish_is_confirmed()
    {
        var publisher = _provider.GetRequiredService<ConfirmedPublisher>();
        var failures = _provider.GetRequiredService<PublishFailures>();
        _failing.EventId = "refused-3";

        var refused = await publisher.PublishAsync([.. Enumerable.Range(0, 5).Select(i => Event($"refused-{i}"))], TimeSpan.FromSeconds(30), Cancel);

        Assert.False(refused.IsConfirmed);
        Assert.Contains("did not confirm", refused.Refusal, StringComparison.Ordinal);
        var failingFor = await Eventually.UntilAsync(() => Task.FromResult(failures.FailingFor), f => f > TimeSpan.Zero, what: "the failure to show");
        Assert.True(failingFor > TimeSpan.Zero);

        _failing.EventId = null;
        Assert.True((await publisher.PublishAsync([Event("after")], TimeSpan.FromSeconds(30), Cancel)).IsConfirmed);
        Assert.Equal(TimeSpan.Zero, failures.FailingFor);
    }

    [Fact]
    public async Task Every_event_goes_out_marked_on_its_own_and_once_in_a_batch_also_when_requests_publish_side_by_side()
    {
        var publisher = _provider.GetRequiredService<ConfirmedPublisher>();
        var requests = Enumerable.Range(0, 20).Select(r => Enumerable.Range(0, 5).Select(i => (object)Event($"side-{r}-{i}")).ToList()).ToList();

        var confirmations = await Task.WhenAll(requests.Select(events => publisher.PublishAsync(events, TimeSpan.FromSeconds(30), Cancel)));

        Assert.All(confirmations, c => Assert.True(c.IsConfirmed, c.Refusal));
        var singles = _harness.Published.Select<EmittedEvent>(Cancel).Where(p => p.Context.Message.EventId.StartsWith("side-", StringComparison.Ordinal)).ToList();
        Assert.Equal(100, singles.Count);
        Assert.All(singles, p => Assert.True(p.Context.Headers.TryGetHeader(HubEventNames.InBatchHeader, out _)));
        var batches = _harness.Published.Select<HubEventBatch>(Cancel).Select(p => p.Context.Message).Where(b => b.Others.Any(e => e.EventId.StartsWith("side-", StringComparison.Ordinal))).ToList();
        Assert.Equal(requests.SelectMany(r => r).Cast<EmittedEvent>().Select(e => e.EventId).Order(), batches.SelectMany(b => b.Others).Select(e => e.EventId).Order());
        TestContext.Current.TestOutputHelper?.WriteLine($"20 requests side by side went out in {batches.Count} batch messages");
    }

    [Fact]
    public async Task A_batch_the_broker_did_not_confirm_refuses_the_requests_it_carried()
    {
        var publisher = _provider.GetRequiredService<ConfirmedPublisher>();
        _failing.Batches = true;

        var refused = await publisher.PublishAsync([Event("in-a-failed-batch")], TimeSpan.FromSeconds(30), Cancel);

        Assert.False(refused.IsConfirmed);
        _failing.Batches = false;
        Assert.True((await publisher.PublishAsync([Event("in-a-later-batch")], TimeSpan.FromSeconds(30), Cancel)).IsConfirmed);
    }

    [Fact]
    public async Task A_stopped_bus_is_refused_without_waiting_once_its_health_is_asked_again_at_most_100_ms_later()
    {
        var publisher = _provider.GetRequiredService<ConfirmedPublisher>();
        Assert.True((await publisher.PublishAsync([Event("while-started")], TimeSpan.FromSeconds(30), Cancel)).IsConfirmed);
        await _provider.GetRequiredService<IBusControl>().StopAsync(Cancel);

        // Within 100 ms of the last answer, the bus still counts as healthy: the publish is tried (the in-memory bus even
        // takes it after its stop), not refused.
        _time.Advance(TimeSpan.FromMilliseconds(99));
        var tried = await publisher.PublishAsync([Event("just-after-the-stop")], TimeSpan.FromSeconds(1), Cancel);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var refused = await publisher.PublishAsync([Event("after-the-stop")], TimeSpan.FromSeconds(1), Cancel);

        Assert.NotEqual("the bus is unhealthy", tried.Refusal);
        Assert.Equal("the bus is unhealthy", refused.Refusal);
    }

    [Fact]
    public async Task Nothing_to_publish_is_confirmed_at_once()
    {
        var confirmation = await _provider.GetRequiredService<ConfirmedPublisher>().PublishAsync([], TimeSpan.FromSeconds(1), Cancel);
        Assert.True(confirmation.IsConfirmed);
    }

    static EmittedEvent Event(string id) => new()
    {
        EventId = id,
        Name = "order.placed",
        Source = "tests",
        OccurredAt = DateTimeOffset.UnixEpoch,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        Payload = "{}",
    };

    sealed class FailingPublish : IPublishObserver
    {
        public volatile string? EventId;

        public volatile bool Batches;

        public Task PrePublish<T>(PublishContext<T> context) where T : class =>
            context.Message is EmittedEvent e && e.EventId == EventId || context.Message is HubEventBatch && Batches ? throw new InvalidOperationException("not confirmed") : Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
