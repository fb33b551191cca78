using System.Text.Json.Nodes;
using EventHub.Contracts.Listeners;
using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

internal sealed class ListenerModel(ILogger<ListenerModel> logger, IListenersReader? reader = null, IListenerActions? actions = null) : PageModel
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
        var key = User.Identity!.Name!;
        if (reader is null || await reader.FindAsync(id, key, cancellationToken) is not { } listener)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Listener = await ListenerSummary.LoadAsync(reader, listener, key, 500, cancellationToken);
        Rows = [.. Listener.Transactions.Select(Row.Of).OrderByDescending(r => r.LastAt).Take(Shown)];
        if (HttpContext.MayReplay())
            Replays = await ReplayJobsAsync(id, cancellationToken);
    }

    /// <summary>The replay jobs as JSON, for the page's progress bars to follow without a reload.</summary>
    public async Task<IActionResult> OnGetReplaysAsync(string id, CancellationToken cancellationToken) =>
        new JsonResult(new { items = HttpContext.MayReplay() ? await ReplayJobsAsync(id, cancellationToken) : [] });

    async Task<JsonArray> ReplayJobsAsync(string id, CancellationToken cancellationToken) =>
        actions is not null && await actions.ReplayJobsJsonAsync(id, User.Identity!.Name!, cancellationToken) is { } json ? JsonNode.Parse(json)!.AsArray() : [];

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
        var refused = actions is null
            ? new ListenerActionRefusal(StatusCodes.Status404NotFound, "id", $"No listener with id '{id}'.")
            : await actions.StartReplayAsync(id, body.ToJsonString(), User.Identity!.Name!, cancellationToken);
        if (refused is not null)
            return DeadLettersModel.Problem(refused.Status, "The hub refused the replay", refused.Detail, refused.Field);

        logger.LogInformation("Dashboard replay by key {KeyName}: listener {ListenerId}", User.Identity?.Name, id);
        return Redirect($"/ui/listeners/{Uri.EscapeDataString(id)}#replays");
    }

    static string? Utc(string? local) => string.IsNullOrWhiteSpace(local) || local.EndsWith('Z') || local.Contains('+', StringComparison.Ordinal) ? local : local + "Z";

    /// <summary>Resumes the paused listener (keys that manage listeners), then shows it again.</summary>
    public async Task<IActionResult> OnPostResumeAsync(string id, CancellationToken cancellationToken)
    {
        if (!HttpContext.MayManageListeners())
            return DeadLettersModel.Problem(StatusCodes.Status403Forbidden, "Missing scope", "Resume needs a key with the 'listeners:manage' scope (EventHub__Keys__<name>__Scopes__N).", "scope");
        var outcome = actions is null ? ListenerActionOutcome.NotFound : await actions.ResumeAsync(id, User.Identity!.Name!, cancellationToken);
        if (outcome == ListenerActionOutcome.NotFound)
            return DeadLettersModel.Problem(StatusCodes.Status404NotFound, "No such listener", $"No listener with id '{id}' that this key may use.", "id");
        if (outcome == ListenerActionOutcome.Refused)
            return DeadLettersModel.Problem(StatusCodes.Status409Conflict, "Not paused", $"Listener '{id}' is not paused: only a paused listener is resumed (a disabled one is registered again).", "state");

        logger.LogInformation("Dashboard resume by key {KeyName}: listener {ListenerId}", User.Identity?.Name, id);
        return Redirect($"/ui/listeners/{Uri.EscapeDataString(id)}");
    }

    /// <summary>One transaction with its last attempt.</summary>
    internal sealed record Row(string EventId, string Name, string State, long Attempts, long? StatusCode, long? DurationMs, string? Error, string? Output, DateTimeOffset? LastAt)
    {
        public static Row Of(ListenerTransaction t)
        {
            var last = t.History.Count > 0 ? t.History[^1] : null;
            return new Row(t.EventId, t.Name, t.State, t.Attempts, t.StatusCode, last?.DurationMs, t.Error, t.Output, last?.At);
        }
    }
}
