using EventHub.Contracts.ErrorQueues;
using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

/// <summary>The hub's error queues, read in process from the host (what <c>GET /v1/errors</c> shows), and their replay, for admin keys, as a plain form post.</summary>
internal sealed class ErrorsModel(ILogger<ErrorsModel> logger, IErrorQueues? errorQueues = null) : PageModel
{
    const int Peek = 100;

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<ErrorQueue> Queues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Queues = !HttpContext.IsAdmin() || errorQueues is null ? [] : await errorQueues.ListAsync(Peek, cancellationToken);

    public async Task<IActionResult> OnPostReplayAsync(string queue, string? replay, string[]? messageIds, CancellationToken cancellationToken)
    {
        if (!HttpContext.IsAdmin())
        {
            logger.LogWarning("Dashboard error-queue replay refused: key {KeyName} has no admin scope", User.Identity?.Name);
            return DeadLettersModel.Problem(StatusCodes.Status403Forbidden, "Missing scope", "Error queues need a key with the 'admin' scope (EventHub__Keys__<name>__Scopes__N).", "scope");
        }

        IReadOnlyList<string>? ids = replay == "all" ? null : messageIds ?? [];
        if (string.IsNullOrEmpty(queue) || ids is { Count: 0 })
            return DeadLettersModel.Problem(StatusCodes.Status400BadRequest, "Nothing to replay", "Choose messages to replay, or replay all.", string.IsNullOrEmpty(queue) ? "queue" : "messageIds");

        if (errorQueues is null || await errorQueues.ReplayAsync(queue, ids?.ToHashSet(StringComparer.Ordinal), cancellationToken) is not { } done)
            return DeadLettersModel.Problem(StatusCodes.Status404NotFound, "No such error queue", $"'{queue}' is not an error queue of the hub.", "queue");

        var replayed = done.Replayed;
        logger.LogInformation("Dashboard replay by key {KeyName}: {Replayed} messages of {Queue}", User.Identity?.Name, replayed, queue);
        Message = $"Moved {replayed} message{(replayed == 1 ? "" : "s")} from {queue} back to its queue.";
        return Redirect("/ui/errors");
    }
}
