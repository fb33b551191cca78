using System.Globalization;
using System.Text.Json.Nodes;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class ListenerModel(HubApi api) : PageModel
{
    const int Shown = 50;

    public string Id { get; private set; } = "";

    public ListenerSummary? Listener { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

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
