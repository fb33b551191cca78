using EventHub.Listeners.Replays;
using EventHub.Listeners.Webhooks;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Access;
using EventHub.Contracts;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Queues;
using EventHub.Listeners.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Registry;

/// <summary>The <c>/v1/listeners</c> endpoints: register, list, inspect, change, deregister, resume.</summary>
internal static class ListenersApi
{
    public static async Task<IResult> RegisterAsync(
        HttpRequest request, ListenerStore store, ListenerQueues endpoints, ReplayJobStore jobs, ReplayJobRunner runner, IOptions<ListenersOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await RequestJson.ReadAsync(request, cancellationToken) is not { } bytes)
            return RequestJson.TooLarge();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] });
        }

        using (document)
        {
            var (registration, errors) = RegistrationParser.Parse(document.RootElement, options.Value);
            if (registration?.Url is { } url && await TargetGuard.CheckAsync(new Uri(url), options.Value.AllowPrivateTargets, cancellationToken) is { } refusal)
                errors["delivery.url"] = [refusal];
            if (errors.Count > 0)
                return Invalid(errors);

            var caller = request.HttpContext.Caller()!;
            if (caller.RefuseEvents(registration!.Patterns, registration.Since is not null) is { } refused)
                return refused;
            // Registering again under another key's platform, label and name would take over its listener (and its secret).
            var existing = await store.FindByKeyAsync(registration.Key, cancellationToken);
            if (existing is not null && !caller.MayUse(existing))
                return ListenerAccess.NotOwned(existing);
            if (existing is null && !caller.IsAdmin && (await store.ListAsync(cancellationToken)).Count(l => l.Owner == caller.Name) >= options.Value.MaxPerKey)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Too many listeners",
                    detail: $"This key owns {options.Value.MaxPerKey} listeners, the most one key may (EventHub__Listeners__MaxPerKey): delete one, or register again under an existing name.",
                    extensions: new Dictionary<string, object?> { ["field"] = "name" });
            }

            var (listener, created) = await store.UpsertAsync(registration, caller.Name, cancellationToken);
            await endpoints.SyncAsync(cancellationToken);
            if (registration.Since is { } since)
            {
                // A job, not a task of this copy: if this copy dies, another one finishes the replay.
                await ReplaysApi.CreateAsync(listener, caller.Name, ReplayJob.Since, listener.Patterns, null, since, null, jobs, time, cancellationToken);
                runner.Wake();
            }
            // The secret is shown once, when it is made or replaced; a registration repeated at every deploy never echoes it.
            var body = ListenerJson.Of(listener, withSecret: created || listener.Secret != existing?.Secret);
            return created ? Results.Created($"/v1/listeners/{listener.Id}", body) : Results.Ok(body);
        }
    }

    /// <summary>Applies the given fields over the listener and validates the result exactly as a registration.</summary>
    public static async Task<IResult> PatchAsync(string id, HttpRequest request, ListenerStore store, ListenerQueues endpoints, IOptions<ListenersOptions> options, CancellationToken cancellationToken)
    {
        var (listener, notOwned) = await store.FindOwnedAsync(id, request.HttpContext, cancellationToken);
        if (listener is null)
            return notOwned!;

        if (await RequestJson.ReadAsync(request, cancellationToken) is not { } bytes)
            return RequestJson.TooLarge();
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            return Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] });
        }

        if (patch is not JsonObject changes)
            return Invalid(new() { ["body"] = [$"must be a JSON object of the fields to change: {string.Join(", ", Changeable)}"] });
        foreach (var field in changes.Select(c => c.Key).Where(k => k is "name" or "platform" or "label"))
            return Invalid(new() { [field] = ["cannot be changed: a listener's name, platform and label are its key"] });
        using (var given = JsonDocument.Parse(changes.ToJsonString()))
        {
            foreach (var (field, message) in KnownFields.Unknown(given.RootElement, "", Changeable))
                return Invalid(new() { [field] = [message] });
        }

        var delivery = new JsonObject { ["type"] = listener.DeliveryType, ["url"] = listener.Url, ["timeoutSeconds"] = listener.TimeoutSeconds, ["secret"] = listener.Secret };
        if (changes["delivery"] is JsonObject deliveryChanges)
        {
            foreach (var (key, value) in deliveryChanges)
                delivery[key] = value?.DeepClone();
        }
        else if (changes.ContainsKey("delivery"))
        {
            return Invalid(new() { ["delivery"] = ["must be an object"] });
        }

        var merged = new JsonObject
        {
            ["name"] = listener.Name,
            ["platform"] = listener.Platform,
            ["label"] = listener.Label,
            ["events"] = changes["events"]?.DeepClone() ?? new JsonArray([.. listener.Patterns.Select(p => (JsonNode)p)]),
            ["delivery"] = delivery,
            ["retry"] = changes["retry"]?.DeepClone() ?? new JsonObject { ["schedule"] = new JsonArray([.. listener.RetryScheduleSeconds.Select(s => (JsonNode)s)]) },
            ["filter"] = changes.TryGetPropertyValue("filter", out var filter) ? filter?.DeepClone() : Stored(listener.Filter?.Json),
            ["redact"] = changes.TryGetPropertyValue("redact", out var redact) ? redact?.DeepClone() : Stored(listener.Redact?.Json),
            ["rateLimit"] = changes.TryGetPropertyValue("rateLimit", out var rateLimit) ? rateLimit?.DeepClone() : listener.RateLimitPerSecond is { } perSecond ? new JsonObject { ["perSecond"] = perSecond } : null,
        };
        using var document = JsonDocument.Parse(merged.ToJsonString());
        var (registration, errors) = RegistrationParser.Parse(document.RootElement, options.Value);
        if (registration?.Url is { } url && url != listener.Url && await TargetGuard.CheckAsync(new Uri(url), options.Value.AllowPrivateTargets, cancellationToken) is { } refusal)
            errors["delivery.url"] = [refusal];
        if (errors.Count > 0)
            return Invalid(errors);
        var caller = request.HttpContext.Caller()!;
        if (caller.RefuseEvents(registration!.Patterns, replaysPast: false) is { } refused)
            return refused;

        var (updated, _) = await store.UpsertAsync(registration, caller.Name, cancellationToken);
        await endpoints.SyncAsync(cancellationToken);
        return Results.Ok(ListenerJson.Of(updated, withSecret: false));
    }

    /// <summary>The caller's own listeners; every listener for an admin key.</summary>
    public static async Task<IResult> ListAsync(HttpContext context, ListenerStore store, CancellationToken cancellationToken)
    {
        var caller = context.Caller()!;
        return Results.Ok(new { items = (await store.ListAsync(cancellationToken)).Where(caller.MayUse).Select(l => ListenerJson.Of(l, withSecret: false)) });
    }

    public static async Task<IResult> GetAsync(string id, HttpContext context, ListenerStore store, DeliveryStore deliveries, IListenerTransport transport, CancellationToken cancellationToken)
    {
        var (listener, refusal) = await store.FindOwnedAsync(id, context, cancellationToken);
        if (listener is null)
            return refusal!;
        var body = ListenerJson.Of(listener, withSecret: false);
        body["queueDepth"] = await transport.GetDepthAsync(listener.QueueName, cancellationToken);
        body["transactions"] = await deliveries.CountByStateAsync(id, cancellationToken);
        return Results.Ok(body);
    }

    public static async Task<IResult> DeleteAsync(string id, bool? drain, HttpContext context, ListenerStore store, DeliveryStore deliveries, ListenerQueues endpoints, IListenerTransport transport, TimeProvider time, CancellationToken cancellationToken)
    {
        var (listener, refusal) = await store.FindOwnedAsync(id, context, cancellationToken);
        if (listener is null)
            return refusal!;

        var undelivered = await UndeliveredAsync(listener, deliveries, transport, cancellationToken);
        if (drain == true && undelivered > 0)
        {
            // Waits for what is queued or retrying to be delivered (or to die), within a bound; the caller may ask again.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(DrainLimit);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
            try
            {
                while (undelivered > 0 && await timer.WaitForNextTickAsync(limit.Token))
                    undelivered = await UndeliveredAsync(listener, deliveries, transport, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Not drained",
                    detail: $"{undelivered} events were still undelivered after {DrainLimit.TotalSeconds:0} s; nothing was deleted. Ask again, or delete without drain=true to drop them.",
                    extensions: new Dictionary<string, object?> { ["field"] = "drain" });
            }
        }

        await store.DeleteAsync(id, cancellationToken);
        await endpoints.SyncAsync(cancellationToken);
        await transport.DeleteQueueAsync(listener.QueueName, cancellationToken);
        return Results.Ok(new { id, deleted = true, dropped = undelivered });
    }

    static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    static async Task<long> UndeliveredAsync(Listener listener, DeliveryStore deliveries, IListenerTransport transport, CancellationToken cancellationToken)
    {
        var counts = await deliveries.CountByStateAsync(listener.Id, cancellationToken);
        return (await transport.GetDepthAsync(listener.QueueName, cancellationToken) ?? 0) + counts[DeliveryStates.Retrying] + counts[DeliveryStates.Pending];
    }

    /// <summary>Resumes a paused listener: what its queue held is delivered in the order received, its waiting retries at once.</summary>
    public static async Task<IResult> ResumeAsync(string id, HttpContext context, ListenerStore store, ListenerHealth health, ListenerQueues endpoints, CancellationToken cancellationToken)
    {
        var (listener, refusal) = await store.FindOwnedAsync(id, context, cancellationToken);
        if (listener is null)
            return refusal!;
        if (!await health.ResumeAsync(listener, cancellationToken))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Not paused",
                detail: $"Listener '{id}' is {listener.State}, not paused: only a paused listener is resumed (a disabled one is registered again).",
                extensions: new Dictionary<string, object?> { ["field"] = "state" });
        }

        await endpoints.SyncAsync(cancellationToken);
        return Results.Ok(ListenerJson.Of((await store.FindAsync(id, cancellationToken))!, withSecret: false));
    }

    /// <summary>Reads a JSON object body; otherwise the 400 to answer.</summary>
    internal static async Task<(JsonDocument? Document, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestJson.ReadAsync(request, cancellationToken) is not { } bytes)
            return (null, RequestJson.TooLarge());
        try
        {
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return (document, null);
            document.Dispose();
            return (null, Invalid(new() { ["body"] = ["must be a JSON object"] }));
        }
        catch (JsonException e)
        {
            return (null, Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] }));
        }
    }

    static readonly string[] Changeable = ["events", "delivery", "retry", "filter", "redact", "rateLimit"];

    static JsonNode? Stored(string? json) => json is null ? null : JsonNode.Parse(json);

    internal static IResult Invalid(Dictionary<string, string[]> errors)
    {
        var first = errors.Keys.First();
        return Results.ValidationProblem(errors, title: "Invalid listener", detail: $"{first} {errors[first][0]}.", extensions: new Dictionary<string, object?> { ["field"] = first });
    }
}
