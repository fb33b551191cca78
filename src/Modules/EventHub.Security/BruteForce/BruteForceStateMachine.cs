using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventHub.Security.BruteForce;

/// <summary>
/// Brute force on one account: at least <c>Threshold</c> failed logins (filter group auth.login.fail) within
/// <c>Window</c> of the entries' own dates raise <c>security.brute_force.detected</c> once per episode; a successful
/// login resets the count.
/// </summary>
internal sealed class BruteForceStateMachine : MassTransitStateMachine<BruteForceState>
{
    public const string Detection = "brute_force";

    public BruteForceStateMachine(IOptions<SecurityOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        var rule = new BurstRule(settings.BruteForce.Threshold, settings.BruteForce.Window);

        InstanceState(x => x.CurrentState);
        Event(() => Failed, e => e.CorrelateById(c => Correlate(c.Message)));
        Event(() => Succeeded, e =>
        {
            e.CorrelateById(c => Correlate(c.Message));
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Failed)
                .Then(c =>
                {
                    c.Saga.Source = c.Message.Source;
                    c.Saga.User = SecurityKeys.User(c.Message)!;
                })
                .ThenAsync(c => RaiseAsync(c, c.Saga.Burst.Record(ToAttempt(c.Message), rule, AlertId(c.Saga), SecurityKeys.Redelivered(c)), rule, settings, time))
                .IfElse(c => c.Saga.Burst.Alert is null, x => x.TransitionTo(Watching), x => x.TransitionTo(Alerted)));

        During(Watching, Alerted,
            When(Failed)
                .ThenAsync(c => RaiseAsync(c, c.Saga.Burst.Record(ToAttempt(c.Message), rule, AlertId(c.Saga), SecurityKeys.Redelivered(c)), rule, settings, time))
                .IfElse(c => c.Saga.Burst.Alert is null, x => x.TransitionTo(Watching), x => x.TransitionTo(Alerted)),
            When(Succeeded)
                .ThenAsync(c => RaiseAsync(c, c.Saga.Burst.Reset(c.Message.OccurredAt, rule, AlertId(c.Saga)), rule, settings, time))
                .IfElse(c => c.Saga.Burst.Alert is null, x => x.TransitionTo(Watching), x => x.TransitionTo(Alerted)));
    }

    public State Watching { get; private set; } = null!;

    public State Alerted { get; private set; } = null!;

    public Event<IAuth0LoginFailure> Failed { get; private set; } = null!;

    public Event<IAuth0LoginSuccess> Succeeded { get; private set; } = null!;

    public static Guid Correlate(IAuth0LogEvent entry) => SecurityKeys.Correlate(Detection, entry.Source, SecurityKeys.User(entry));

    static Attempt ToAttempt(IAuth0LogEvent entry) => new(entry.EventId, entry.OccurredAt, entry.EventId, SecurityKeys.Ip(entry), entry.Type);

    static Func<int, Attempt, string> AlertId(BruteForceState saga) =>
        (episode, trigger) => SecurityKeys.AlertId(Detection, saga.CorrelationId, $"{episode}\n{trigger.LogId}");

    static async Task RaiseAsync<T>(BehaviorContext<BruteForceState, T> context, BurstAlert? alert, BurstRule rule, SecurityOptions settings, TimeProvider time)
        where T : class
    {
        var now = time.GetUtcNow();
        context.Saga.ExpiresAt = now + settings.StateRetention;
        if (alert is null)
            return;
        var window = alert.Window;
        await context.Publish(SecurityAlerts.WithPayload(new BruteForceDetected
        {
            EventId = alert.EventId,
            Source = SecurityAlerts.Source,
            OccurredAt = window[^1].At,
            ReceivedAt = now,
            LogSource = context.Saga.Source,
            LogIds = [.. window.Select(a => a.LogId)],
            User = context.Saga.User,
            Count = window.Count,
            First = window[0].At,
            Last = window[^1].At,
            Ips = [.. window.Select(a => a.Ip).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            Codes = [.. window.Select(a => a.Code).Distinct().Order(StringComparer.Ordinal)],
            Threshold = rule.Threshold,
            Window = rule.Window,
        }));
    }
}
