using EventHub.Access;
using EventHub.Contracts.Events;
using EventHub.Contracts.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// The latest security alerts, read in process from the event log (<c>security.#</c>), and the detection rules with
/// those refused, read from the security module; each shown to the keys the API shows it to. The log pages oldest
/// first, so the page reads forward from a week ago, within a bound, and keeps the newest.
/// </summary>
internal sealed class SecurityModel(IEventLogReader log, TimeProvider time, IDetectionsReader? detections = null) : PageModel
{
    /// <summary>The source of the hub's own detections (the Security module's): only those are shown, whatever else is named security.*.</summary>
    public const string HubSource = "eventhub.security";

    public const int Days = 7;
    public const int Shown = 100;
    const int MaxPages = 10;

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    public IReadOnlyList<Rule> Rules { get; private set; } = [];

    public IReadOnlyList<Refused> RefusedRules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = HttpContext.Caller()!;
        var alerts = new List<Alert>();
        var query = new LoggedEventsQuery { Patterns = ["security.#"], Since = time.GetUtcNow().AddDays(-Days), Limit = 200 };
        for (var page = 0; page < MaxPages && caller.Has(Scopes.EventsRead); page++)
        {
            var answer = await log.ReadAsync(query, cancellationToken);
            alerts.AddRange(answer.Items.Where(e => e.Source == HubSource && caller.MayRead(e.Name))
                .Select(e => new Alert(e.EventId, e.Name, e.Source, e.OccurredAt, e.Payload.Length > 200 ? e.Payload[..200] + "…" : e.Payload)));
            if (answer.Next is not { } next)
                break;
            query = query with { After = next };
        }

        Alerts = [.. alerts.OrderByDescending(a => a.Time).Take(Shown)];

        if (detections is null || !caller.Has(Scopes.Auth0Read))
            return;
        var list = detections.Read();
        Rules = [.. list.Rules.Where(r => r.Alerts).Select(r => new Rule(r.Name, r.Title, r.Level, r.Correlation, r.File, string.Join(", ", r.Equivalents), r.Matches, r.AlertsRaised))];
        RefusedRules = [.. list.Refused.Select(r => new Refused(r.File, r.Line, r.Reason))];
    }

    internal sealed record Alert(string Id, string Name, string Source, DateTimeOffset Time, string Preview);

    internal sealed record Rule(string Name, string Title, string Level, string? Correlation, string File, string Equivalents, long Matches, long Alerts);

    internal sealed record Refused(string File, long Line, string Reason);
}
