using System.Globalization;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventHub.Security.BreachedPassword;

/// <summary>
/// A breached password used at login, signup or reset (<c>pwd_leak</c>, <c>signup_pwd_leak</c>, <c>reset_pwd_leak</c>)
/// raises <c>security.breached_password.detected</c> at once, once per user and UTC day of the entry's date.
/// </summary>
internal sealed class BreachedPasswordStateMachine : MassTransitStateMachine<BreachedPasswordState>
{
    public const string Detection = "breached_password";

    public BreachedPasswordStateMachine(IOptions<SecurityOptions> options, TimeProvider time)
    {
        var retention = options.Value.StateRetention;
        InstanceState(x => x.CurrentState);
        Event(() => AtLogin, e => e.CorrelateById(c => Correlate(c.Message)));
        Event(() => AtSignup, e => e.CorrelateById(c => Correlate(c.Message)));
        Event(() => AtReset, e => e.CorrelateById(c => Correlate(c.Message)));

        Initially(
            When(AtLogin).ThenAsync(c => RaiseAsync(c, time, retention)).TransitionTo(Alerted),
            When(AtSignup).ThenAsync(c => RaiseAsync(c, time, retention)).TransitionTo(Alerted),
            When(AtReset).ThenAsync(c => RaiseAsync(c, time, retention)).TransitionTo(Alerted));

        During(Alerted,
            When(AtLogin).ThenAsync(c => RepeatAsync(c, time, retention)),
            When(AtSignup).ThenAsync(c => RepeatAsync(c, time, retention)),
            When(AtReset).ThenAsync(c => RepeatAsync(c, time, retention)));
    }

    public State Alerted { get; private set; } = null!;

    public Event<Auth0BreachedPassword> AtLogin { get; private set; } = null!;

    public Event<Auth0BreachedPasswordOnSignup> AtSignup { get; private set; } = null!;

    public Event<Auth0BreachedPasswordOnReset> AtReset { get; private set; } = null!;

    public static Guid Correlate(IAuth0LogEvent entry) =>
        SecurityKeys.Correlate(Detection, entry.Source, SecurityKeys.User(entry) is { } user ? $"{user}\n{Day(entry)}" : null);

    static string Day(IAuth0LogEvent entry) => entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static async Task RaiseAsync<T>(BehaviorContext<BreachedPasswordState, T> context, TimeProvider time, TimeSpan retention)
        where T : class, IAuth0LogEvent
    {
        var entry = context.Message;
        var now = time.GetUtcNow();
        var saga = context.Saga;
        saga.ExpiresAt = now + retention;
        saga.TriggerLogId = entry.EventId;
        saga.Alert = SecurityAlerts.WithPayload(new BreachedPasswordDetected
        {
            EventId = SecurityKeys.AlertId(Detection, saga.CorrelationId, entry.EventId),
            Source = SecurityAlerts.Source,
            OccurredAt = entry.OccurredAt,
            ReceivedAt = now,
            LogSource = entry.Source,
            LogIds = [entry.EventId],
            User = SecurityKeys.User(entry)!,
            Day = Day(entry),
            Code = entry.Type,
            Ip = SecurityKeys.Ip(entry),
        });
        await context.Publish(saga.Alert);
    }

    /// <summary>
    /// Later entries of the same day raise nothing; the trigger itself coming back after a failed attempt raises the same
    /// alert again (its publish may have been lost after the save), a plain resend of it does not.
    /// </summary>
    static async Task RepeatAsync<T>(BehaviorContext<BreachedPasswordState, T> context, TimeProvider time, TimeSpan retention)
        where T : class, IAuth0LogEvent
    {
        var saga = context.Saga;
        saga.ExpiresAt = time.GetUtcNow() + retention;
        if (context.Message.EventId == saga.TriggerLogId && SecurityKeys.Redelivered(context) && saga.Alert is { } alert)
            await context.Publish(alert);
    }
}
