using System.Globalization;
using System.Text.Json.Nodes;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

internal sealed class ListenerModel(HubApi api, ILogger<ListenerModel> logger) : PageModel
{
    const int Shown = 50;

    public string Id { get; private set; } = "";

    public ListenerSummary? Listener { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The listener's replay jobs, newest first (empty for a key without the replay scope).</summary>
    public JsonArray Replays { get; private set; } = [];

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        var key = User.ApiKey()!;
        var listener = await api.ListenerAsync(id, key, cancellationToken);
        if (listener is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Listener = await ListenerSummary.LoadAsync(api, listener, key, 500, cancellationToken);
        Rows = [.. Listener.Transactions.Select(t => Row.Of(t!)).OrderByDescending(r => r.LastAt).Take(Shown)];
        if (HttpContext.MayReplay())
            Replays = await api.ReplayJobsAsync(id, key, cancellationToken);
    }

    /// <summary>The replay jobs as JSON, for the page's progress bars to follow without a reload.</summary>
    public async Task<IActionResult> OnGetReplaysAsync(string id, CancellationToken cancellationToken) =>
        HttpContext.MayReplay() ? new JsonResult(new { items = await api.ReplayJobsAsync(id, User.ApiKey()!, cancellationToken) }) : new JsonResult(new { items = Array.Empty<object>() });

    /// <summary>Starts a replay of the event log (time range in UTC, optional patterns), then shows the page with its progress.</summary>
    public async Task<IActionResult> OnPostReplayAsync(string id, string? from, string? to, string? events, CancellationToken cancellationToken)
    {
        if (!HttpContext.MayReplay())
            return DeadLettersModel.Problem(StatusCodes.Status403Forbidden, "Missing scope", "A replay needs a key with the 'replay' scope (EventHub__Keys__<name>__Scopes__N).", "scope");
        // The form's datetime-local fields carry no zone: the page says they are UTC. The hub validates what is sent.
        var body = new JsonObject { ["from"] = Utc(from) };
        if (!string.IsNullOrWhiteSpace(to))
            body["to"] = Utc(to);
        var patterns = (events ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (patterns.Length > 0)
            body["events"] = new JsonArray([.. patterns.Select(p => (JsonNode)p)]);
        try
        {
            await api.StartReplayAsync(id, body, User.ApiKey()!, cancellationToken);
        }
        catch (HubApiException refused)
        {
            return DeadLettersModel.Problem((int)refused.Status, "The hub refused the replay", refused.Message, "from");
        }

        logger.LogInformation("Dashboard replay by key {KeyName}: listener {ListenerId}", User.Identity?.Name, id);
        return Redirect($"/ui/listeners/{Uri.EscapeDataString(id)}#replays");
    }

    static string? Utc(string? local) => string.IsNullOrWhiteSpace(local) || local.EndsWith('Z') || local.Contains('+', StringComparison.Ordinal) ? local : local + "Z";

    /// <summary>Resumes the paused listener (keys that manage listeners), then shows it again.</summary>
    public async Task<IActionResult> OnPostResumeAsync(string id, CancellationToken cancellationToken)
    {
        if (!HttpContext.MayManageListeners())
            return DeadLettersModel.Problem(StatusCodes.Status403Forbidden, "Missing scope", "Resume needs a key with the 'listeners:manage' scope (EventHub__Keys__<name>__Scopes__N).", "scope");
        try
        {
            await api.ResumeAsync(id, User.ApiKey()!, cancellationToken);
        }
        catch (HubApiException refused)
        {
            return DeadLettersModel.Problem((int)refused.Status, "The hub refused the resume", refused.Message, "id");
        }

        logger.LogInformation("Dashboard resume by key {KeyName}: listener {ListenerId}", User.Identity?.Name, id);
        return Redirect($"/ui/listeners/{Uri.EscapeDataString(id)}");
    }

    /// <summary>One transaction with its last attempt.</summary>
    internal sealed record Row(string EventId, string Name, string State, long Attempts, long? StatusCode, long? DurationMs, string? Error, string? Output, DateTimeOffset? LastAt)
    {
        public static Row Of(JsonNode t)
        {
            var last = t["history"]?.AsArray().LastOrDefault();
            return new Row(
                t["eventId"]!.GetValue<string>(),
                t["name"]?.GetValue<string>() ?? "",
                t["state"]!.GetValue<string>(),
                t["attempts"]?.GetValue<long>() ?? 0,
                t["statusCode"]?.GetValue<long>(),
                last?["durationMs"]?.GetValue<long>(),
                t["error"]?.GetValue<string>(),
                t["output"]?.GetValue<string>(),
                last?["at"] is { } at ? DateTimeOffset.Parse(at.GetValue<string>(), CultureInfo.InvariantCulture) : null);
        }
    }
}
