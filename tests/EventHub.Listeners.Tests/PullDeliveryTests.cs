using EventHub.Contracts.Events;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Pull;
using EventHub.Listeners.Registry;
using EventHub.Listeners.Webhooks;
using EventHub.Storage;
using EventHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Listeners.Tests;

/// <summary>Pull delivery decisions: offers to streams, acknowledgements, timeouts, lost streams, sharing, against a real SQLite file with the clock in hand.</summary>
public sealed class PullDeliveryTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    ServiceProvider _services = null!;
    Listener _listener = null!;

    Deliverer Deliverer => _services.GetRequiredService<Deliverer>();

    PullStreams Streams => _services.GetRequiredService<PullStreams>();

    public async ValueTask InitializeAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("eventhub-pull-").FullName, "listeners.db");
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Options.Create(new ListenersOptions()))
            .AddSingleton(new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" })
            .AddSingleton<Database>()
            .AddSingleton<ListenerStore>()
            .AddSingleton<DeliveryStore>()
            .AddSingleton<ListenerMetrics>()
            .AddSingleton<WebhookSender>()
            .AddSingleton<PullStreams>()
            .AddSingleton<EventHub.Listeners.Redaction.RedactionKey>()
            .AddSingleton<EventHub.Listeners.Health.ListenerHealth>()
            .AddSingleton<IListenerTransport, NoTransport>()
            .AddSingleton<EventHub.Listeners.RateLimits.DeliveryPacer>()
            .AddSingleton<Deliverer>()
            .AddHttpClient()
            .BuildServiceProvider();
        await new SchemaMigrator(_services.GetRequiredService<Database>(), [ListenersSchema.V1, ListenersSchema.V2, ListenersSchema.V3, ListenersSchema.Rules1, ListenersSchema.Rules2, ListenersSchema.Rules3, ListenersSchema.Rules4], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        (_listener, _) = await _services.GetRequiredService<ListenerStore>().UpsertAsync(
            new ListenerRegistration("pulled", null, null, ["order.*"], Listener.Pull, null, null, 5, [0, 30]),
            "tests",
            Cancel);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Should_give_an_event_back_to_the_schedule_without_an_attempt_when_no_stream_is_connected()
    {
        var placed = Event("order.placed");

        await Deliverer.OnEventAsync(_listener, placed, Cancel);

        var record = await RecordAsync(placed.EventId);
        Assert.Equal((DeliveryStates.Retrying, 0L), (record.State, record.Attempts));
        Assert.Equal(UnixMicros.From(_clock.GetUtcNow().AddSeconds(1)), record.NextAttemptAt);
        Assert.Empty(await AttemptsAsync(placed.EventId));
    }

    [Fact]
    public async Task Should_record_a_succeeded_acknowledgement_with_its_output_and_answer_after_it_is_stored()
    {
        using var stream = Streams.Connect(_listener.Id, 1, null, Cancel);
        var placed = Event("order.placed");

        var delivering = Deliverer.OnEventAsync(_listener, placed, Cancel);
        var offer = await stream.NextAsync(Cancel);
        Assert.Same(offer, Streams.FindInFlight(_listener.Id, placed.EventId));
        Assert.True(offer.Settle(offer.Acknowledgement(true, """{"sent":true}""", null)));
        Assert.True(await offer.Recorded.WaitAsync(Eventually.DefaultLimit, Cancel));
        await delivering;

        var record = await RecordAsync(placed.EventId);
        Assert.Equal((DeliveryStates.Succeeded, 1L, """{"sent":true}"""), (record.State, record.Attempts, record.Output));
        Assert.Null(Streams.FindInFlight(_listener.Id, placed.EventId));
        Assert.False(offer.Settle(offer.Failure("late")));
    }

    [Fact]
    public async Task Should_fail_the_attempt_and_schedule_a_retry_when_no_acknowledgement_comes_within_the_timeout()
    {
        using var stream = Streams.Connect(_listener.Id, 1, null, Cancel);
        var placed = Event("order.placed");

        var delivering = Deliverer.OnEventAsync(_listener, placed, Cancel);
        await stream.NextAsync(Cancel);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await delivering;

        var record = await RecordAsync(placed.EventId);
        Assert.Equal((DeliveryStates.Retrying, 1L, "no acknowledgement within 5 s"), (record.State, record.Attempts, record.LastError));
        Assert.Equal("no acknowledgement within 5 s", Assert.Single(await AttemptsAsync(placed.EventId)).Error);
    }

    [Fact]
    public async Task Should_fail_what_a_closed_stream_held_and_dead_letter_after_the_last_attempt()
    {
        var placed = Event("order.placed");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stream = Streams.Connect(_listener.Id, 1, null, Cancel);
            var delivering = attempt == 0 ? Deliverer.OnEventAsync(_listener, placed, Cancel) : Deliverer.AttemptAsync(_listener, (await RecordAsync(placed.EventId)).Item, attempt, replay: false, Cancel);
            await stream.NextAsync(Cancel);
            Streams.Disconnect(stream);
            stream.Dispose();
            await delivering;
        }

        var record = await RecordAsync(placed.EventId);
        Assert.Equal((DeliveryStates.Dead, 3L), (record.State, record.Attempts));
        Assert.All(await AttemptsAsync(placed.EventId), a => Assert.Equal("the stream closed before the event was acknowledged", a.Error));
    }

    [Fact]
    public async Task Should_share_events_between_streams_each_within_its_own_limit()
    {
        using var first = Streams.Connect(_listener.Id, 1, null, Cancel);
        using var second = Streams.Connect(_listener.Id, 1, null, Cancel);
        var events = new[] { Event("order.a"), Event("order.b"), Event("order.c") };

        var delivering = events.Select(e => Deliverer.OnEventAsync(_listener, e, Cancel)).ToArray();
        var one = await first.NextAsync(Cancel);
        var two = await second.NextAsync(Cancel);
        var third = first.NextAsync(Cancel);
        Assert.NotEqual(one.Item.EventId, two.Item.EventId);
        Assert.False(third.IsCompleted);

        one.Settle(one.Acknowledgement(true, null, null));
        var three = await third.WaitAsync(Eventually.DefaultLimit, Cancel);
        two.Settle(two.Acknowledgement(true, null, null));
        three.Settle(three.Acknowledgement(false, null, "boom"));
        await Task.WhenAll(delivering);

        Assert.Equal(events.Select(e => e.EventId).Order(), new[] { one, two, three }.Select(o => o.Item.EventId).Order());
        Assert.Equal("boom", (await RecordAsync(three.Item.EventId)).LastError);
    }

    [Fact]
    public async Task Should_give_back_an_event_no_busy_stream_took_within_the_timeout()
    {
        using var busy = Streams.Connect(_listener.Id, 1, null, Cancel);
        var held = Event("order.held");
        var holding = Deliverer.OnEventAsync(_listener, held, Cancel);
        await busy.NextAsync(Cancel);

        var waiting = Streams.Offer(_listener, DeliveryItem.From(Event("order.waiting")), 1)!;
        _clock.Advance(TimeSpan.FromSeconds(5));
        await holding;

        Assert.Null(await waiting.Outcome.WaitAsync(Eventually.DefaultLimit, Cancel));
        Assert.Equal(1L, (await RecordAsync(held.EventId)).Attempts);
    }

    [Fact]
    public async Task Should_close_the_previous_connection_that_holds_the_last_event_id()
    {
        using var old = Streams.Connect(_listener.Id, 1, null, Cancel);
        var placed = Event("order.placed");
        var delivering = Deliverer.OnEventAsync(_listener, placed, Cancel);
        await old.NextAsync(Cancel);

        using var reconnected = Streams.Connect(_listener.Id, 1, placed.EventId, Cancel);

        Assert.True(old.Closed.IsCancellationRequested);
        Assert.False(reconnected.Closed.IsCancellationRequested);
        Streams.Disconnect(old);
        await delivering;
        Assert.Equal("the stream closed before the event was acknowledged", (await RecordAsync(placed.EventId)).LastError);
    }

    async Task<DeliveryRecord> RecordAsync(string eventId) =>
        Assert.Single(await _services.GetRequiredService<DeliveryStore>().ListAsync(_listener.Id, null, null, 100, Cancel), r => r.EventId == eventId);

    async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(string eventId) =>
        await _services.GetRequiredService<DeliveryStore>().AttemptsAsync(_listener.Id, [eventId], Cancel);

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
