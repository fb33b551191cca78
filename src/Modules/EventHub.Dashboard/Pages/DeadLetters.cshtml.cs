using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

/// <summary>
/// Dead letters per listener, and their replay. The replay is a form post (antiforgery token checked by Razor Pages,
/// which answers 400 without one); a script posts the same form and gets JSON, so the result shows without a reload.
/// </summary>
internal sealed class DeadLettersModel(HubApi api, ILogger<DeadLettersModel> logger) : PageModel
{
    const int PerListener = 200;

    [BindProperty(SupportsGet = true, Name = "listener")]
    public string? ListenerFilter { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<Group> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var key = User.ApiKey()!;
        var listeners = (await api.ListenersAsync(key, cancellationToken))
            .Where(l => ListenerFilter is null || l!["id"]!.GetValue<string>() == ListenerFilter)
            .ToList();
        var groups = await Task.WhenAll(listeners.Select(async l =>
        {
            var id = l!["id"]!.GetValue<string>();
            var dead = await api.TransactionsAsync(id, "dead", PerListener, key, cancellationToken);
            return new Group(id, l["name"]!.GetValue<string>(), [.. dead.Select(d => ListenerModel.Row.Of(d!))]);
        }));
        Groups = [.. groups.Where(g => g.Items.Count > 0)];
    }

    /// <summary>The current state of a listener's recent transactions, for the script following a replay.</summary>
    public async Task<IActionResult> OnGetStatesAsync(string listener, CancellationToken cancellationToken)
    {
        var transactions = await api.TransactionsAsync(listener, null, 1000, User.ApiKey()!, cancellationToken);
        return new JsonResult(new { states = transactions.ToDictionary(t => t!["eventId"]!.GetValue<string>(), t => t!["state"]!.GetValue<string>()) });
    }

    public async Task<IActionResult> OnPostReplayAsync(string listenerId, string? replay, string[]? eventIds, CancellationToken cancellationToken)
    {
        var wantsJson = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        if (!User.IsAdmin())
        {
            logger.LogWarning("Dashboard replay refused: key {KeyName} is not in EventHub__Ui__AdminKeys", User.Identity?.Name);
            return Problem(StatusCodes.Status403Forbidden, "Not allowed", "Replay needs a key named in EventHub__Ui__AdminKeys.", "key");
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

        var key = User.ApiKey()!;
        // "All" is resolved to ids here, so the page can follow exactly the rows it replayed.
        ids ??= [.. (await api.TransactionsAsync(listenerId, "dead", 1000, key, cancellationToken)).Select(t => t!["eventId"]!.GetValue<string>())];
        int replayed;
        try
        {
            replayed = ids.Count == 0 ? 0 : await api.ReplayAsync(listenerId, ids, key, cancellationToken);
        }
        catch (HubApiException refused)
        {
            return Problem((int)refused.Status, "The hub refused the replay", refused.Message, "listenerId");
        }

        logger.LogInformation("Dashboard replay by key {KeyName}: {Replayed} dead letters of listener {ListenerId}", User.Identity?.Name, replayed, listenerId);
        if (wantsJson)
            return new JsonResult(new { listenerId, replayed, eventIds = ids });
        Message = $"Replayed {replayed} dead letter{(replayed == 1 ? "" : "s")}.";
        return Redirect($"/ui/dead-letters?listener={Uri.EscapeDataString(listenerId)}");
    }

    internal static ObjectResult Problem(int status, string title, string detail, string field) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["field"] = field } })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };

    internal sealed record Group(string ListenerId, string ListenerName, IReadOnlyList<ListenerModel.Row> Items);
}
