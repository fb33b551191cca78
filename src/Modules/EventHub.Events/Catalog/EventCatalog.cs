using EventHub.Contracts.Auth0;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.Contracts.Security;
using EventHub.Storage;

namespace EventHub.Events.Catalog;

/// <summary>
/// <c>GET /v1/catalog</c>: every event name the hub knows, with its contract and the JSON Schema of its typed fields,
/// and every name applications have emitted, with a schema inferred from recent payloads.
/// </summary>
internal static class EventCatalog
{
    // The hub's listener health events. Names only: their module is not referenced from here.
    static readonly HubEventName[] ListenerEvents =
    [
        new("listener.paused", "A listener's deliveries kept failing: it was paused, its queue keeps filling", "listener"),
        new("listener.resumed", "A paused listener was resumed and delivers what was held", "listener"),
    ];

    // Generating ~210 schemas takes seconds on a busy machine: once per process, at the first GET /v1/catalog. Not at
    // startup: the schema generator and what it builds held ~38 MB of an idle host that nobody asked for its catalog (issue 20).
    static readonly Lazy<Known> KnownNames = new(BuildKnown);

    public static async Task<object> BuildAsync(EmittedNames emitted, CancellationToken cancellationToken)
    {
        var known = KnownNames.Value;
        return new
        {
            auth0LogTypes = known.LogTypes,
            auth0LogFallbacks = known.LogFallbacks,
            auth0EventStreams = known.EventStreams,
            securityAlerts = known.SecurityAlerts,
            listenerEvents = ListenerEvents,
            emitted = (await emitted.ListAsync(cancellationToken)).Select(e => new
            {
                name = e.Name,
                count = e.Count,
                firstSeen = UnixMicros.ToTime(e.FirstSeen),
                lastSeen = UnixMicros.ToTime(e.LastSeen),
                schema = ContractSchemas.InferredFrom(e.Samples),
            }),
        };
    }

    static Known BuildKnown() => new(
        [.. Auth0LogTypes.ByCode.Values.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => (object)new
        {
            code = t.Code,
            group = t.Group,
            description = t.Title,
            name = t.EventName,
            contract = t.ContractType.FullName,
            interfaces = GroupInterfaces(t.ContractType),
            schema = ContractSchemas.Of(t.ContractType),
        })],
        [
            new { name = "auth0.other.<code>", description = "A log type code the hub does not know yet", contract = typeof(Auth0UnknownLogEvent).FullName, schema = ContractSchemas.Of(typeof(Auth0UnknownLogEvent)) },
            new { name = "auth0.unrecognized", description = "A log stream record without a usable data.type", contract = typeof(Auth0UnrecognizedEntry).FullName, schema = ContractSchemas.Of(typeof(Auth0UnrecognizedEntry)) },
        ],
        // The Security module's alerts, by their contracts (EventHub.Contracts.Security): consumable as the record or as ISecurityAlert.
        [
            Alert(BruteForceDetected.EventName, "Failed logins of one account within the window reached the threshold", "user, source, count, first, last, ips, codes, logIds, threshold, window", typeof(BruteForceDetected)),
            Alert(CredentialStuffingDetected.EventName, "Failed logins for many distinct users from one IP within the window", "ip, source, userCount, users, count, first, last, codes, logIds", typeof(CredentialStuffingDetected)),
            Alert(BreachedPasswordDetected.EventName, "Auth0 reported a breached password (pwd_leak, signup_pwd_leak, reset_pwd_leak)", "user, source, day, code, at, ip, logId", typeof(BreachedPasswordDetected)),
            Alert(SigmaDetection.NamePrefix + "<rule name>", "A Sigma rule (GET /v1/detections) matched an entry, or a correlation rule's condition held over a group", "ruleId, rule, title, level, tags, equivalents, source, correlation, groupBy, selections, logIds", typeof(SigmaDetection)),
        ],
        [.. Auth0ChangeTypes.Known.Order(StringComparer.Ordinal).Select(type =>
        {
            Auth0ChangeTypes.TryCreate(type, new Auth0UnknownChangeEvent(), out var typed);
            var contract = typed!.GetType();
            return (object)new { type, name = "auth0.events." + type, contract = contract.FullName, interfaces = GroupInterfaces(contract), schema = ContractSchemas.Of(contract) };
        })]);

    // payload: the fields of the alert's JSON payload, as listeners on security.# receive it.
    static object Alert(string name, string description, string payload, Type contract) =>
        new { name, description, payload, contract = contract.FullName, interfaces = new[] { nameof(ISecurityAlert) }, schema = ContractSchemas.Of(contract) };

    /// <summary>The filter-group interfaces a record can be consumed by (IAuth0LoginFailure, IAuth0UserChange, ...).</summary>
    static IEnumerable<string> GroupInterfaces(Type contract) =>
        contract.GetInterfaces().Where(i => i.Namespace == contract.Namespace).Select(i => i.Name).Order(StringComparer.Ordinal);

    internal sealed record HubEventName(string Name, string Description, string Payload);

    sealed record Known(IReadOnlyList<object> LogTypes, IReadOnlyList<object> LogFallbacks, IReadOnlyList<object> SecurityAlerts, IReadOnlyList<object> EventStreams);
}
