using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;

namespace EventHub.Composition.Retry;

/// <summary>An exponential retry: how many times a failed message is consumed again, and how far apart.</summary>
public sealed record RetryPolicy(int Retries, TimeSpan MinInterval, TimeSpan MaxInterval, TimeSpan Delta)
{
    public void Apply(IRetryConfigurator retry) => retry.Exponential(Retries, MinInterval, MaxInterval, Delta);
}

/// <summary>
/// One retry policy per kind of consumer, each applied once by the endpoint it belongs to: the host adds none of its own,
/// because two <c>UseMessageRetry</c> calls on one endpoint nest (13 × 13 attempts). A singleton in the container, so a
/// test can shorten the intervals and count the attempts. See docs/reliability.md ("Retry policies").
/// </summary>
public sealed class RetryPolicies
{
    /// <summary>
    /// Every consumer of the hub writes to the database: 3 to 4 minutes in all (100 ms to 30 s, 12 retries, jittered) outlasts a database
    /// restart with the message held unacked; a few seconds' retry lost events to <c>_error</c> queues in the fault tests.
    /// </summary>
    static readonly RetryPolicy DatabaseOutage = new(12, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

    /// <summary>The event log writer (<c>store-events</c>).</summary>
    public RetryPolicy StoreEvents { get; init; } = DatabaseOutage;

    /// <summary>A listener's delivery endpoint: a failed webhook is a recorded outcome, only the database throws.</summary>
    public RetryPolicy ListenerDelivery { get; init; } = DatabaseOutage;

    /// <summary>The detections (sagas and Sigma rules), for any failure but a lost optimistic-concurrency race.</summary>
    public RetryPolicy Detections { get; init; } = DatabaseOutage;

    /// <summary>
    /// A detection that lost a race with another copy (<see cref="ConcurrencyException"/>) runs again soon, with jitter, on
    /// the fresh instance (docs/adr/0005). Handled by its own filter, which <see cref="Detections"/> ignores, so the two
    /// never multiply.
    /// </summary>
    public RetryPolicy DetectionConflicts { get; init; } = new(30, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(25));

    public const string MaxIntervalKey = "EventHub:Bus:RetryMaxInterval";

    static readonly RetryPolicies Defaults = new();

    /// <summary>
    /// The policies with the database-outage schedule's longest wait from <see cref="MaxIntervalKey"/>: raised, the retries
    /// outlast a longer outage; lowered, a message that can never be stored reaches <c>_error</c> sooner (the poison-message
    /// test uses 100 ms). The conflict retry is not an outage and keeps its own schedule.
    /// </summary>
    public static RetryPolicies Read(IConfiguration configuration)
    {
        var text = configuration[MaxIntervalKey];
        if (string.IsNullOrWhiteSpace(text))
            return new();
        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var max) || max < DatabaseOutage.MinInterval || max > TimeSpan.FromMinutes(10))
            throw Settings.Invalid(MaxIntervalKey, $"'{text}' is not valid: use a time span from 00:00:00.1 to 00:10:00");
        var outage = DatabaseOutage with { MaxInterval = max };
        return new() { StoreEvents = outage, ListenerDelivery = outage, Detections = outage };
    }

    /// <summary>The container's policies (the host registers them), or the defaults where none are registered.</summary>
    public static RetryPolicies From(IServiceProvider services) => services.GetService(typeof(RetryPolicies)) as RetryPolicies ?? Defaults;

    /// <summary>The store's and the listeners' policy, the only retry filter of the endpoint.</summary>
    public static void Use(IConsumePipeConfigurator endpoint, RetryPolicy policy) => endpoint.UseMessageRetry(policy.Apply);

    /// <summary>The detections' two filters: conflicts retried fast inside, everything else on the outage schedule outside.</summary>
    public void UseForDetections(IConsumePipeConfigurator endpoint)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<ConcurrencyException>();
            Detections.Apply(retry);
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            DetectionConflicts.Apply(retry);
        });
    }
}
