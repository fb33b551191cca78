using System.Text.Json;
using EventHub.Dashboard.Access;
using EventHub.Dashboard.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

internal sealed class EventModel(HubApi api) : PageModel
{
    public string Id { get; private set; } = "";
    public string? Name { get; private set; }
    public string? Source { get; private set; }
    public string Time { get; private set; } = "";
    public string ReceivedAt { get; private set; } = "";
    public string RawPayload { get; private set; } = "";
    public string PrettyPayload => Format.Pretty(RawPayload);
    public bool IsAuth0 => Name?.StartsWith("auth0.", StringComparison.Ordinal) == true;
    public IReadOnlyList<Transaction>? Transactions { get; private set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        var key = User.ApiKey()!;
        var raw = await api.EventRawAsync(id, key, cancellationToken);
        if (raw is null)
        {
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status404NotFound;
            return;
        }

        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        Name = root.GetProperty("name").GetString();
        Source = root.GetProperty("source").GetString();
        Time = Format.Time(root.GetProperty("time").GetDateTimeOffset());
        ReceivedAt = Format.Time(root.GetProperty("receivedAt").GetDateTimeOffset());
        // The API writes the payload as the very text that was received; GetRawText keeps it so.
        RawPayload = root.GetProperty("payload").GetRawText();
        if (root.TryGetProperty("transactions", out var transactions) && transactions.ValueKind == JsonValueKind.Array)
        {
            var names = (await api.ListenersAsync(key, cancellationToken)).ToDictionary(l => l!["id"]!.GetValue<string>(), l => l!["name"]!.GetValue<string>());
            Transactions = [.. transactions.EnumerateArray().Select(t => new Transaction(
                t.GetProperty("listenerId").GetString()!,
                names.GetValueOrDefault(t.GetProperty("listenerId").GetString()!, t.GetProperty("listenerId").GetString()!),
                t.GetProperty("state").GetString()!,
                t.GetProperty("attempts").GetInt32(),
                t.TryGetProperty("statusCode", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null,
                t.TryGetProperty("error", out var e) ? e.GetString() : null,
                t.TryGetProperty("output", out var o) ? o.GetString() : null,
                Format.Time(t.GetProperty("updatedAt").GetDateTimeOffset())))];
        }
    }

    internal sealed record Transaction(string ListenerId, string ListenerName, string State, int Attempts, int? StatusCode, string? Error, string? Output, string UpdatedAt);
}
