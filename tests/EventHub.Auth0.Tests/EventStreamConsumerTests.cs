using System.Text;
using EventHub.Auth0.EventStreams;
using EventHub.Contracts;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Auth0.Tests;

/// <summary>
/// The records the Event Streams ingress publishes, through MassTransit's test harness (serialized on the way), reach
/// consumers of the record, of its group interface, of <see cref="IAuth0ChangeEvent"/> and of <see cref="IHubEvent"/>.
/// </summary>
public sealed class EventStreamConsumerTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton<LatestUsers>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<UserCreatedConsumer>();
                // One message at a time, in queue order: a later message consumed proves an earlier one would have been.
                bus.AddConsumer<UserChangeConsumer>().Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 1);
                bus.AddConsumer<AnyChangeConsumer>();
                bus.AddConsumer<LatestUserConsumer>();
                bus.UsingInMemory((context, cfg) =>
                {
                    // As the host does: the abstract record is no exchange of its own.
                    cfg.Publish<Auth0Change>(publish => publish.Exclude = true);
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop(Cancel);
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Should_deliver_the_typed_record_to_consumers_at_every_level()
    {
        var signup = Map(Auth0EventStreamEvents.UserCreatedFromDatabaseSignup());
        var member = Map(Auth0EventStreamEvents.OrganizationMemberAdded());
        var unknown = Map(Auth0EventStreamEvents.Unknown());
        // Published after the membership event to the one-at-a-time user-change endpoint: once it is consumed there, the
        // membership event would have been too, had it been a user change.
        var marker = Map(Auth0EventStreamEvents.UserDeleted(Auth0EventStreamEvents.NewEventId()));

        foreach (var change in new[] { signup, member, marker, unknown })
            await _harness.Bus.Publish((object)change, Cancel);

        var created = _harness.GetConsumerHarness<UserCreatedConsumer>();
        Assert.True(await created.Consumed.Any<Auth0UserCreated>(x => x.Context.Message.EventId == signup.EventId, Cancel));
        var received = created.Consumed.Select<Auth0UserCreated>(Cancel).Single().Context.Message;
        Assert.Equal<Auth0Change>(signup, received);
        Assert.Equal(Auth0EventStreamEvents.UserId, received.UserId);
        Assert.Equal(signup.Time, received.Time);

        var users = _harness.GetConsumerHarness<UserChangeConsumer>();
        Assert.True(await users.Consumed.Any<IAuth0UserChange>(x => x.Context.Message.EventId == signup.EventId, Cancel));
        var all = _harness.GetConsumerHarness<AnyChangeConsumer>();
        Assert.True(await all.Consumed.Any<IAuth0ChangeEvent>(x => x.Context.Message.EventId == unknown.EventId, Cancel));
        Assert.True(await all.Consumed.Any<IAuth0ChangeEvent>(x => x.Context.Message.EventId == member.EventId, Cancel));
        var unknownReceived = all.Consumed.Select<IAuth0ChangeEvent>(x => x.Context.Message.EventId == unknown.EventId, Cancel).Single().Context.Message;
        Assert.Equal("session.revoked", unknownReceived.Type);
        Assert.Equal(unknown.Data, unknownReceived.Data);
        Assert.True(await users.Consumed.Any<IAuth0UserChange>(x => x.Context.Message.EventId == marker.EventId, Cancel));
        Assert.False(users.Consumed.Select<IAuth0UserChange>(x => x.Context.Message.EventId == member.EventId, Cancel).Any(), "a membership event is no IAuth0UserChange");
    }

    [Fact]
    public async Task Should_let_a_latest_wins_projection_ignore_an_older_update_arriving_last()
    {
        var newer = Map(Auth0EventStreamEvents.UserUpdated("Jane Newer", "2026-11-21T09:00:05Z"));
        var older = Map(Auth0EventStreamEvents.UserUpdated("Jane Older", "2026-11-21T09:00:01Z"));

        // Published as object, as the ingress does: the static type Auth0Change is excluded from the topology.

        await _harness.Bus.Publish((object)newer, Cancel);
        Assert.True(await _harness.GetConsumerHarness<LatestUserConsumer>().Consumed.Any<IAuth0UserChange>(x => x.Context.Message.EventId == newer.EventId, Cancel));
        await _harness.Bus.Publish((object)older, Cancel);
        Assert.True(await _harness.GetConsumerHarness<LatestUserConsumer>().Consumed.Any<IAuth0UserChange>(x => x.Context.Message.EventId == older.EventId, Cancel));

        var projection = _provider.GetRequiredService<LatestUsers>();
        Assert.Equal(newer.EventId, projection.Get(Auth0EventStreamEvents.UserId)?.EventId);
        Assert.Contains("Jane Newer", projection.Get(Auth0EventStreamEvents.UserId)!.Data, StringComparison.Ordinal);
    }

    static Auth0Change Map(System.Text.Json.Nodes.JsonObject cloudEvent)
    {
        var batch = CloudEventParser.Parse(Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()), CloudEventParser.SingleMediaType, 10);
        return Auth0ChangeMapper.Map(Assert.Single(batch.Events), DateTimeOffset.UtcNow);
    }

    sealed class UserCreatedConsumer : IConsumer<Auth0UserCreated>
    {
        public Task Consume(ConsumeContext<Auth0UserCreated> context) => Task.CompletedTask;
    }

    sealed class UserChangeConsumer : IConsumer<IAuth0UserChange>
    {
        public Task Consume(ConsumeContext<IAuth0UserChange> context) => Task.CompletedTask;
    }

    sealed class AnyChangeConsumer : IConsumer<IAuth0ChangeEvent>
    {
        public Task Consume(ConsumeContext<IAuth0ChangeEvent> context) => Task.CompletedTask;
    }

    /// <summary>The projection the README describes: keep a user's change only when its time is later than the one kept.</summary>
    sealed class LatestUserConsumer(LatestUsers users) : IConsumer<IAuth0UserChange>
    {
        public Task Consume(ConsumeContext<IAuth0UserChange> context)
        {
            users.Apply(context.Message);
            return Task.CompletedTask;
        }
    }
}

internal sealed class LatestUsers
{
    readonly Dictionary<string, IAuth0UserChange> _users = [];

    public void Apply(IAuth0UserChange change)
    {
        lock (_users)
        {
            if (change.UserId is null)
                return;
            if (!_users.TryGetValue(change.UserId, out var kept) || change.Time > kept.Time)
                _users[change.UserId] = change;
        }
    }

    public IAuth0UserChange? Get(string userId)
    {
        lock (_users)
            return _users.GetValueOrDefault(userId);
    }
}
