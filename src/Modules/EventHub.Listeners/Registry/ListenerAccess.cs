using EventHub.Access;
using EventHub.Contracts;
using Microsoft.AspNetCore.Http;

namespace EventHub.Listeners.Registry;

/// <summary>
/// A listener is its owner's (the key that registered it): only the owner or an admin key may read, change, delete,
/// stream, acknowledge or replay it. Checked here, once, for every endpoint that takes a listener id.
/// </summary>
internal static class ListenerAccess
{
    public static bool MayUse(this ApiKey key, Listener listener) => key.IsAdmin || listener.Owner == key.Name;

    /// <summary>The listener, or the answer to give instead: 404 when there is none, 403 when it is another key's.</summary>
    public static async Task<(Listener? Listener, IResult? Refusal)> FindOwnedAsync(this ListenerStore store, string id, HttpContext context, CancellationToken cancellationToken)
    {
        var listener = await store.FindAsync(id, cancellationToken);
        if (listener is null)
            return (null, NotFound(id));
        return context.Caller()!.MayUse(listener) ? (listener, null) : (null, NotOwned(listener));
    }

    /// <summary>The listener when the key may use it; null when there is none, it is another key's, or the key is unknown (in-process reads).</summary>
    public static async Task<Listener?> FindUsableAsync(this ListenerStore store, string id, ApiKey? key, CancellationToken cancellationToken) =>
        key is not null && await store.FindAsync(id, cancellationToken) is { } listener && key.MayUse(listener) ? listener : null;

    /// <summary>A 403 when the key may not read everything the patterns match, or replay the past without <c>events:read</c>; otherwise null.</summary>
    public static IResult? RefuseEvents(this ApiKey key, IReadOnlyList<string> patterns, bool replaysPast)
    {
        foreach (var text in patterns)
        {
            if (key.WhyNotListen(TopicPattern.Parse(text)!) is { } refusal)
                return KeyAccess.Forbidden("Events this key may not read", $"events '{text}' {refusal.Reason}.", refusal.Scope, "events");
        }

        return replaysPast && !key.Has(Scopes.EventsRead)
            ? KeyAccess.Forbidden("Missing scope", $"since replays the event log, which needs the '{Scopes.EventsRead}' scope.", Scopes.EventsRead, "since")
            : null;
    }

    public static IResult NotOwned(Listener listener) => KeyAccess.Forbidden(
        "Another key's listener",
        $"Listener '{listener.Id}' was registered by another key: only its owner or a key with the '{Scopes.Admin}' scope may use it.",
        Scopes.Admin,
        "id");

    public static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such listener", detail: $"No listener with id '{id}'.", extensions: new Dictionary<string, object?> { ["field"] = "id" });
}
