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
    }

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
