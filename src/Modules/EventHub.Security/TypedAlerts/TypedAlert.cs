using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Security;
using EventHub.Security.Detection;
using EventHub.Security.EvaluateRules;
using EventHub.Security.Rules;

namespace EventHub.Security.TypedAlerts;

/// <summary>
/// A built-in correlation that says <c>alert: &lt;name&gt;</c> raises this typed alert of Contracts instead of a
/// <see cref="SigmaDetection"/>, exactly as the state machine it replaced did: the same group (the account, the IP),
/// the same subject counted, the same correlation and alert ids, the same payload, and its <c>EventHub__Security__*</c>
/// settings. The rule's own <c>group-by</c> names the field in Sigma terms; the group here adds what Sigma cannot say
/// (an account without a user id is its connection and user name). See docs/adr/0030.
/// </summary>
internal abstract class TypedAlert
{
    /// <summary>What <c>alert:</c> says; also the detection name in the group and alert ids, as the state machine's was.</summary>
    public abstract string Name { get; }

    public abstract string EventName { get; }

    public abstract bool Enabled(HubSwitches switches);

    /// <summary>The count and the window: the rule's own unless a setting sets them.</summary>
    public virtual BurstRule Rule(SecurityOptions settings, SigmaCorrelation correlation) => new(correlation.Threshold, correlation.Timespan);

    /// <summary>The group the entry counts into, by name (the alert's payload reads it); null leaves the entry out.</summary>
    public abstract Dictionary<string, string>? Group(IAuth0LogEvent entry);

    /// <summary>What is counted distinctly: the entry itself unless the alert counts something else.</summary>
    public virtual string? Subject(IAuth0LogEvent entry) => entry.EventId;

    /// <summary>An entry that ends the group's episode and starts its count again (a successful login, for brute force).</summary>
    public virtual bool Resets(IAuth0LogEvent entry) => false;

    public virtual string AlertId(Guid group, int episode, string triggerLogId) => SecurityKeys.AlertId(Name, group, $"{episode}\n{triggerLogId}");

    public abstract ISecurityAlert Raise(CorrelationGroup group, BurstAlert alert, DateTimeOffset now);

    protected static List<string> Distinct(IEnumerable<string?> values) => [.. values.OfType<string>().Distinct().Order(StringComparer.Ordinal)];
}
