using System.Globalization;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// The latest security alerts, read from the event log through the API (<c>name=security.#</c>), and the detection rules
/// (<c>GET /v1/detections</c>) with those refused. The log pages oldest first, so the page reads forward from a week
/// ago, within a bound, and keeps the newest.
/// </summary>
internal sealed class SecurityModel(HubApi api, TimeProvider time) : PageModel
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
        var key = User.ApiKey()!;
        var alerts = new List<Alert>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await api.EventsAsync("security.#", HubSource, time.GetUtcNow().AddDays(-Days), after, key, cancellationToken);
            foreach (var e in answer?["items"]?.AsArray() ?? [])
            {
                var payload = e!["payload"]?.ToJsonString() ?? "";
                alerts.Add(new Alert(
                    e["id"]!.GetValue<string>(),
                    e["name"]!.GetValue<string>(),
                    e["source"]!.GetValue<string>(),
                    DateTimeOffset.Parse(e["time"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                    payload.Length > 200 ? payload[..200] + "…" : payload));
            }

            after = answer?["next"]?.GetValue<string>();
            if (after is null)
                break;
        }

        Alerts = [.. alerts.OrderByDescending(a => a.Time).Take(Shown)];

        var detections = await api.DetectionsAsync(key, cancellationToken);
        Rules = [.. (detections?["rules"]?.AsArray() ?? []).Where(r => r!["alerts"]!.GetValue<bool>()).Select(r => new Rule(
            r!["name"]!.GetValue<string>(),
            r["title"]!.GetValue<string>(),
            r["level"]!.GetValue<string>(),
            r["correlation"]?.GetValue<string>(),
            r["file"]!.GetValue<string>(),
            string.Join(", ", r["equivalents"]!.AsArray().Select(e => e!.GetValue<string>())),
            r["matches"]!.GetValue<long>(),
            r["alertsRaised"]!.GetValue<long>()))];
        RefusedRules = [.. (detections?["refused"]?.AsArray() ?? []).Select(r => new Refused(
            r!["file"]!.GetValue<string>(),
            r["line"]!.GetValue<long>(),
            r["reason"]!.GetValue<string>()))];
    }

    internal sealed record Alert(string Id, string Name, string Source, DateTimeOffset Time, string Preview);

    internal sealed record Rule(string Name, string Title, string Level, string? Correlation, string File, string Equivalents, long Matches, long Alerts);

    internal sealed record Refused(string File, long Line, string Reason);
}
