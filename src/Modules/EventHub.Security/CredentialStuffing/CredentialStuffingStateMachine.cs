using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventHub.Security.CredentialStuffing;

/// <summary>
/// Credential stuffing from one IP: failed logins for at least <c>Threshold</c> distinct users within <c>Window</c> of the
/// entries' own dates raise <c>security.credential_stuffing.detected</c> once per episode (an episode ends after a
/// window without failures from that IP).
/// </summary>
internal sealed class CredentialStuffingStateMachine : MassTransitStateMachine<CredentialStuffingState>
{
    public const string Detection = "credential_stuffing";
    const int MaxUsersListed = 100;

    public CredentialStuffingStateMachine(IOptions<SecurityOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        var rule = new BurstRule(settings.CredentialStuffing.Threshold, settings.CredentialStuffing.Window);

        InstanceState(x => x.CurrentState);
        Event(() => Failed, e => e.CorrelateById(c => Correlate(c.Message)));

        Initially(
            When(Failed)
                .Then(c =>
                {
                    c.Saga.Source = c.Message.Source;
                    c.Saga.Ip = SecurityKeys.Ip(c.Message)!;
                })
                .ThenAsync(c => RecordAsync(c, rule, settings, time))
                .IfElse(c => c.Saga.Burst.Alert is null, x => x.TransitionTo(Watching), x => x.TransitionTo(Alerted)));

        During(Watching, Alerted,
            When(Failed)
                .ThenAsync(c => RecordAsync(c, rule, settings, time))
                .IfElse(c => c.Saga.Burst.Alert is null, x => x.TransitionTo(Watching), x => x.TransitionTo(Alerted)));
    }

    public State Watching { get; private set; } = null!;

    public State Alerted { get; private set; } = null!;

    public Event<IAuth0LoginFailure> Failed { get; private set; } = null!;

    public static Guid Correlate(IAuth0LogEvent entry) => SecurityKeys.Correlate(Detection, entry.Source, SecurityKeys.Ip(entry));

    static async Task RecordAsync(BehaviorContext<CredentialStuffingState, IAuth0LoginFailure> context, BurstRule rule, SecurityOptions settings, TimeProvider time)
    {
        var now = time.GetUtcNow();
        context.Saga.ExpiresAt = now + settings.StateRetention;
        // Only failures naming a user say anything about how many accounts one address tries.
        if (SecurityKeys.User(context.Message) is not { } user)
            return;
        var entry = context.Message;
        var attempt = new Attempt(entry.EventId, entry.OccurredAt, user, SecurityKeys.Ip(entry), entry.Type);
        var saga = context.Saga;
        var alert = saga.Burst.Record(attempt, rule, (episode, trigger) => SecurityKeys.AlertId(Detection, saga.CorrelationId, $"{episode}\n{trigger.LogId}"), SecurityKeys.Redelivered(context));
        if (alert is null)
            return;

        var window = alert.Window;
        var users = window.Select(a => a.Subject).Distinct(StringComparer.Ordinal).ToList();
        await context.Publish(SecurityAlerts.WithPayload(new CredentialStuffingDetected
        {
            EventId = alert.EventId,
            Source = SecurityAlerts.Source,
            OccurredAt = window[^1].At,
            ReceivedAt = now,
            LogSource = saga.Source,
            LogIds = [.. window.Select(a => a.LogId)],
            Ip = saga.Ip,
            UserCount = users.Count,
            Users = [.. users.Take(MaxUsersListed)],
            Count = window.Count,
            First = window[0].At,
            Last = window[^1].At,
            Codes = [.. window.Select(a => a.Code).Distinct().Order(StringComparer.Ordinal)],
            Threshold = rule.Threshold,
            Window = rule.Window,
        }));
    }
}
