using EventHub.Listeners.Webhooks;
using EventHub.Contracts.Events;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;
using EventHub.Storage;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Listeners.Tests;

/// <summary>The delivery decisions, one attempt at a time, against a real receiver and a real SQLite file, with the clock in hand.</summary>
public sealed class DelivererTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    ServiceProvider _services = null!;
    WebhookReceiver _receiver = null!;
    Listener _listener = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("eventhub-deliverer-").FullName, "listeners.db");
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Options.Create(new ListenersOptions { AllowPrivateTargets = true }))
            .AddSingleton(new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" })
            .AddSingleton<Database>()
            .AddSingleton<ListenerStore>()
            .AddSingleton<DeliveryStore>()
            .AddSingleton<ListenerMetrics>()
            .AddSingleton<WebhookSender>()
            .AddSingleton<EventHub.Listeners.Pull.PullStreams>()
            .AddSingleton<EventHub.Listeners.Redaction.RedactionKey>()
            .AddSingleton<EventHub.Listeners.Health.ListenerHealth>()
            .AddSingleton<IListenerTransport, NoTransport>()
            .AddSingleton<EventHub.Listeners.RateLimits.DeliveryPacer>()
            .AddSingleton<Deliverer>()
            .AddHttpClient()
            .BuildServiceProvider();
        await new SchemaMigrator(_services.GetRequiredService<Database>(), [ListenersSchema.V1, ListenersSchema.V2, ListenersSchema.V3, ListenersSchema.Rules1, ListenersSchema.Rules2, ListenersSchema.Rules3, ListenersSchema.Rules4], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        var (listener, _) = await _services.GetRequiredService<ListenerStore>().UpsertAsync(
            new ListenerRegistration("decisions", null, null, ["order.*"], Listener.Webhook, _receiver.Url, null, 5, [0, 30, 600]),
            "tests",
            Cancel);
        _listener = listener;
        _receiver.Secret = listener.Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Should_schedule_the_next_attempt_from_the_listeners_schedule_and_die_after_the_last()
    {
        _receiver.DefaultStatus = 500;
        var deliverer = _services.GetRequiredService<Deliverer>();
        var store = _services.GetRequiredService<DeliveryStore>();

        await deliverer.OnEventAsync(_listener, Event("order.placed"), Cancel);
        var first = Assert.Single(await store.ListAsync(_listener.Id, null, null, 10, Cancel));
        Assert.Equal(DeliveryStates.Retrying, first.State);
        Assert.Equal(UnixMicros.From(_clock.GetUtcNow()), first.NextAttemptAt);

        await deliverer.AttemptAsync(_listener, first.Item, 1, replay: false, Cancel);
        var second = Assert.Single(await store.ListAsync(_listener.Id, null, null, 10, Cancel));
        Assert.Equal(UnixMicros.From(_clock.GetUtcNow().AddSeconds(30)), second.NextAttemptAt);

        await deliverer.AttemptAsync(_listener, second.Item, 2, replay: false, Cancel);
        await deliverer.AttemptAsync(_listener, second.Item, 3, replay: false, Cancel);
        var dead = Assert.Single(await store.ListAsync(_listener.Id, null, null, 10, Cancel));
        Assert.Equal(DeliveryStates.Dead, dead.State);
        Assert.Equal(4, dead.Attempts);
        Assert.Equal(500, dead.LastStatus);
        Assert.Equal(4, _receiver.Received.Count);
    }

    [Fact]
    public async Task Should_keep_other_copies_off_a_retry_only_while_its_lease_is_renewed_and_not_lease_it_again_once_recorded()
    {
        _receiver.DefaultStatus = 500;
        var store = _services.GetRequiredService<DeliveryStore>();
        await _services.GetRequiredService<Deliverer>().OnEventAsync(_listener, Event("order.placed"), Cancel);
        long At(int seconds) => UnixMicros.From(_clock.GetUtcNow().AddSeconds(seconds));

        var claimed = Assert.Single(await store.ClaimDueAsync(At(0), At(10), 10, [], Cancel));
        Assert.Empty(await store.ClaimDueAsync(At(5), At(15), 10, [], Cancel));
        await store.RenewLeasesAsync([(claimed.ListenerId, claimed.EventId)], At(20), Cancel);
        Assert.Empty(await store.ClaimDueAsync(At(15), At(25), 10, [], Cancel));
        // Not renewed any more (its copy died): another copy takes it once the lease ends.
        Assert.Single(await store.ClaimDueAsync(At(21), At(31), 10, [], Cancel));

        await _services.GetRequiredService<Deliverer>().AttemptAsync(_listener, claimed.Item, 1, replay: false, Cancel);
        await store.RenewLeasesAsync([(claimed.ListenerId, claimed.EventId)], At(40), Cancel);
        var recorded = Assert.Single(await store.ListAsync(_listener.Id, null, null, 10, Cancel));
        Assert.Equal(DeliveryStates.Retrying, recorded.State);
        Assert.Equal(2, recorded.Attempts);
        Assert.True(await store.MayBeInFlightAsync(_listener.Id, claimed.EventId, At(0), Cancel) == false, "a recorded retry is not leased again by a late renewal");
    }

    [Fact]
    public async Task Should_wait_as_long_as_retry_after_asks_when_it_is_longer_than_the_schedule()
    {
        _receiver.Plan(503);
        _receiver.RetryAfterSeconds = 120;

        await _services.GetRequiredService<Deliverer>().OnEventAsync(_listener, Event("order.placed"), Cancel);

        var record = Assert.Single(await _services.GetRequiredService<DeliveryStore>().ListAsync(_listener.Id, null, null, 10, Cancel));
        Assert.Equal(UnixMicros.From(_clock.GetUtcNow().AddSeconds(120)), record.NextAttemptAt);
    }

    [Fact]
    public async Task Should_ignore_names_outside_the_patterns_and_an_event_it_already_handled()
    {
        var deliverer = _services.GetRequiredService<Deliverer>();
        var placed = Event("order.placed");

        await deliverer.OnEventAsync(_listener, Event("invoice.sent"), Cancel);
        await deliverer.OnEventAsync(_listener, placed, Cancel);
        await deliverer.OnEventAsync(_listener, placed, Cancel);

        Assert.Single(_receiver.Received);
        Assert.Equal(DeliveryStates.Succeeded, Assert.Single(await _services.GetRequiredService<DeliveryStore>().ListAsync(_listener.Id, null, null, 10, Cancel)).State);
    }

    [Fact]
    public async Task Should_disable_the_listener_on_410()
    {
        _receiver.DefaultStatus = 410;

        await _services.GetRequiredService<Deliverer>().OnEventAsync(_listener, Event("order.placed"), Cancel);

        Assert.Equal(Listener.Disabled, (await _services.GetRequiredService<ListenerStore>().FindAsync(_listener.Id, Cancel))!.State);
        Assert.Equal(DeliveryStates.Failed, Assert.Single(await _services.GetRequiredService<DeliveryStore>().ListAsync(_listener.Id, null, null, 10, Cancel)).State);
    }

    static EmittedEvent Event(string name) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Name = name,
        Source = "tests",
        OccurredAt = DateTimeOffset.UnixEpoch,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        Payload = "{}",
    };
}
