using EventHub.Contracts.Listeners;
using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// Dead letters per listener, and their replay. The replay is a form post (antiforgery token checked by Razor Pages,
/// which answers 400 without one); a script posts the same form and gets JSON, so the result shows without a reload.
/// </summary>
internal sealed class DeadLettersModel(ILogger<DeadLettersModel> logger, IListenersReader? reader = null, IListenerActions? actions = null) : PageModel
{
    const int PerListener = 200;

    [BindProperty(SupportsGet = true, Name = "listener")]
    public string? ListenerFilter { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<Group> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (reader is null)
            return;
        var key = User.Identity!.Name!;
        var groups = new List<Group>();
        foreach (var listener in (await reader.ListAsync(key, cancellationToken)).Where(l => ListenerFilter is null || l.Id == ListenerFilter))
        {
            var dead = await reader.TransactionsAsync(listener.Id, "dead", PerListener, key, cancellationToken);
            if (dead.Count > 0)
                groups.Add(new Group(listener.Id, listener.Name, [.. dead.Select(ListenerModel.Row.Of)]));
        }

        Groups = groups;
    }

    /// <summary>The current state of a listener's recent transactions, for the script following a replay.</summary>
    public async Task<IActionResult> OnGetStatesAsync(string listener, CancellationToken cancellationToken)
    {
        var transactions = reader is null ? [] : await reader.TransactionsAsync(listener, null, 1000, User.Identity!.Name!, cancellationToken);
        return new JsonResult(new { states = transactions.ToDictionary(t => t.EventId, t => t.State) });
    }

    public async Task<IActionResult> OnPostReplayAsync(string listenerId, string? replay, string[]? eventIds, CancellationToken cancellationToken)
    {
        var wantsJson = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        if (!HttpContext.MayReplay())
        {
            logger.LogWarning("Dashboard replay refused: key {KeyName} lacks the replay scope", User.Identity?.Name);
            return Problem(StatusCodes.Status403Forbidden, "Missing scope", "Replay needs a key with the 'replay' scope (EventHub__Keys__<name>__Scopes__N).", "scope");
        }

        IReadOnlyList<string>? ids = replay switch
        {
            "all" => null,
            "selected" => eventIds ?? [],
            { } one when one.StartsWith("event:", StringComparison.Ordinal) => [one["event:".Length..]],
            _ => [],
        };
        if (string.IsNullOrEmpty(listenerId) || ids is { Count: 0 })
            return Problem(StatusCodes.Status400BadRequest, "Nothing to replay", "Choose dead letters to replay, or replay all.", string.IsNullOrEmpty(listenerId) ? "listenerId" : "eventIds");

        // "All" is resolved to ids here, so the page can follow exactly the rows it replayed.
        ids ??= reader is null ? [] : [.. (await reader.TransactionsAsync(listenerId, "dead", 1000, User.Identity!.Name!, cancellationToken)).Select(t => t.EventId)];
        var replayed = ids.Count == 0 ? 0 : actions is null ? null : await actions.ReplayDeadLettersAsync(listenerId, ids, User.Identity!.Name!, cancellationToken);
        if (replayed is null)
            return Problem(StatusCodes.Status404NotFound, "No such listener", $"No listener with id '{listenerId}' that this key may use.", "listenerId");

        logger.LogInformation("Dashboard replay by key {KeyName}: {Replayed} dead letters of listener {ListenerId}", User.Identity?.Name, replayed, listenerId);
        if (wantsJson)
            return new JsonResult(new { listenerId, replayed, eventIds = ids });
        Message = $"Replayed {replayed} dead letter{(replayed == 1 ? "" : "s")}.";
        return Redirect($"/ui/dead-letters?listener={Uri.EscapeDataString(listenerId)}");
    }

    /// <summary>A refusal as problem+json, for the form's script and for anyone posting by hand.</summary>
    internal static ObjectResult Problem(int status, string title, string detail, string field) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["field"] = field } })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };

    internal sealed record Group(string ListenerId, string ListenerName, IReadOnlyList<ListenerModel.Row> Items);
}
