using System.Globalization;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// The latest security alerts, read from the event log through the API (<c>name=security.#</c>). The log pages oldest
/// first, so the page reads forward from a week ago, within a bound, and keeps the newest.
/// </summary>
internal sealed class SecurityModel(HubApi api, TimeProvider time) : PageModel
{
    /// <summary>The source of the hub's own detections (the Security module's): only those are shown, whatever else is named security.*.</summary>
    public const string HubSource = "eventhub.security";

    public const int Days = 7;
    public const int Shown = 100;
    const int MaxPages = 10;

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

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
    }

    internal sealed record Alert(string Id, string Name, string Source, DateTimeOffset Time, string Preview);
}
