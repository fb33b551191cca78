using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

/// <summary>The hub's error queues (<c>GET /v1/errors</c>) and their replay, for admin keys, as a plain form post.</summary>
internal sealed class ErrorsModel(HubApi api, ILogger<ErrorsModel> logger) : PageModel
{
    const int Peek = 100;

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<ErrorQueue> Queues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Queues = !HttpContext.IsAdmin() ? [] : [.. (await api.ErrorQueuesAsync(Peek, User.ApiKey()!, cancellationToken)).Select(q => new ErrorQueue(
            q!["queue"]!.GetValue<string>(),
            q["sourceQueue"]!.GetValue<string>(),
            q["count"]!.GetValue<long>(),
            [.. q["messages"]!.AsArray().Select(m => new Row(
                m!["messageId"]?.GetValue<string>(), m["exceptionType"]?.GetValue<string>(), m["exceptionMessage"]?.GetValue<string>(),
                m["consumerType"]?.GetValue<string>(), m["faultedAt"]?.GetValue<string>()))]))];

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

        int replayed;
        try
        {
            replayed = await api.ReplayErrorQueueAsync(queue, ids, User.ApiKey()!, cancellationToken);
        }
        catch (HubApiException refused)
        {
            return DeadLettersModel.Problem((int)refused.Status, "The hub refused the replay", refused.Message, "queue");
        }

        logger.LogInformation("Dashboard replay by key {KeyName}: {Replayed} messages of {Queue}", User.Identity?.Name, replayed, queue);
        Message = $"Moved {replayed} message{(replayed == 1 ? "" : "s")} from {queue} back to its queue.";
        return Redirect("/ui/errors");
    }

    internal sealed record ErrorQueue(string Queue, string SourceQueue, long Count, IReadOnlyList<Row> Messages);

    internal sealed record Row(string? MessageId, string? ExceptionType, string? ExceptionMessage, string? ConsumerType, string? FaultedAt);
}
