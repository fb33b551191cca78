using EventHub.Storage;
using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts;
using EventHub.Listeners.Filters;
using EventHub.Listeners.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Replays;

/// <summary>The <c>/v1/listeners/{id}/replays</c> endpoints: start a replay of the event log, follow it, cancel it.</summary>
internal static class ReplaysApi
{
    static readonly string[] Fields = ["from", "to", "events", "filter"];

    public static async Task<IResult> StartAsync(
        string id, HttpRequest request, ListenerStore store, ReplayJobStore jobs, ReplayJobRunner runner, IOptions<ListenersOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (listener, refusal) = await store.FindOwnedAsync(id, request.HttpContext, cancellationToken);
        if (listener is null)
            return refusal!;
        if (await RequestJson.ReadAsync(request, cancellationToken) is not { } bytes)
            return RequestJson.TooLarge();
        return await StartForAsync(listener, request.HttpContext.Caller()!, bytes, jobs, runner, options.Value, time, cancellationToken);
    }

    /// <summary>Starts a replay for this key from a request body: the API's and the dashboard's one way.</summary>
    public static async Task<IResult> StartForAsync(
        Listener listener, ApiKey caller, byte[] bytes, ReplayJobStore jobs, ReplayJobRunner runner, ListenersOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return ListenersApi.Invalid(new() { ["body"] = [$"is not valid JSON ({e.Message})"] });
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
                return ListenersApi.Invalid(new() { ["body"] = ["must be a JSON object: {\"from\": \"2026-11-24T00:00:00Z\", \"to\"?, \"events\"?, \"filter\"?}"] });
            var errors = new Dictionary<string, string[]>();
            foreach (var (field, message) in KnownFields.Unknown(body, "", Fields))
                errors[field] = [message];
            var from = RegistrationParser.ReadTime(body, "from", errors, "matching events of the event log from then are delivered again");
            if (from is null && !errors.ContainsKey("from"))
                errors["from"] = ["is required: the ISO 8601 date-time the replay starts at, e.g. 2026-11-24T00:00:00Z"];
            var to = RegistrationParser.ReadTime(body, "to", errors, "the replay ends before then");
            if (from is not null && to is not null && to <= from)
                errors["to"] = ["must be after from"];
            var patterns = body.TryGetProperty("events", out var events) && events.ValueKind != JsonValueKind.Null ? RegistrationParser.ReadPatterns(body, errors) : [.. listener.Patterns];
            var filter = body.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null ? PayloadFilter.Parse(f, "filter", errors) : null;
            if (errors.Count > 0)
                return ListenersApi.Invalid(errors);

            if (caller.RefuseEvents(patterns, replaysPast: false) is { } refused)
                return refused;
            if (await jobs.CountRunningAsync(caller.Name, cancellationToken) >= options.MaxReplaysPerKey)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many replays",
                    detail: $"This key has {options.MaxReplaysPerKey} replays running, the most one key may (EventHub__Listeners__MaxReplaysPerKey): wait for one to finish, or cancel one.",
                    extensions: new Dictionary<string, object?> { ["field"] = "from" });
            }

            var job = await CreateAsync(listener, caller.Name, ReplayJob.Replay, patterns, filter?.Json, from!.Value, to, jobs, time, cancellationToken);
            runner.Wake();
            return Results.Accepted($"/v1/listeners/{listener.Id}/replays/{job.Id}", ReplayJobJson.Of(job));
        }
    }

    /// <summary>Records a job for any copy to run; a registration's <c>since</c> is one too.</summary>
    public static async Task<ReplayJob> CreateAsync(
        Listener listener, string owner, string kind, IReadOnlyList<string> patterns, string? filter, DateTimeOffset from, DateTimeOffset? to, ReplayJobStore jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var job = new ReplayJob
        {
            Id = Guid.CreateVersion7().ToString("N"),
            ListenerId = listener.Id,
            Owner = owner,
            Kind = kind,
            Patterns = JsonSerializer.Serialize(patterns),
            Filter = filter,
            FromTime = UnixMicros.From(from),
            ToTime = to is { } end ? UnixMicros.From(end) : null,
            CreatedAt = UnixMicros.From(time.GetUtcNow()),
        };
        await jobs.CreateAsync(job, cancellationToken);
        return job;
    }

    public static async Task<IResult> GetAsync(string id, string jobId, HttpContext context, ListenerStore store, ReplayJobStore jobs, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, context, cancellationToken)).Refusal is { } refusal)
            return refusal;
        return await jobs.FindAsync(id, jobId, cancellationToken) is { } job ? Results.Ok(ReplayJobJson.Of(job)) : NotFound(jobId);
    }

    public static async Task<IResult> ListAsync(string id, int? limit, HttpContext context, ListenerStore store, ReplayJobStore jobs, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, context, cancellationToken)).Refusal is { } refusal)
            return refusal;
        if (limit is < 1 or > 1000)
            return ListenersApi.Invalid(new() { ["limit"] = ["must be from 1 to 1000"] });
        return Results.Ok(new { items = (await jobs.ListAsync(id, limit ?? 100, cancellationToken)).Select(ReplayJobJson.Of) });
    }

    public static async Task<IResult> CancelAsync(string id, string jobId, HttpContext context, ListenerStore store, ReplayJobStore jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await store.FindOwnedAsync(id, context, cancellationToken)).Refusal is { } refusal)
            return refusal;
        await jobs.CancelAsync(id, jobId, UnixMicros.From(time.GetUtcNow()), cancellationToken);
        // Cancelling a job that already ended changes nothing and says what it became.
        return await jobs.FindAsync(id, jobId, cancellationToken) is { } job ? Results.Ok(ReplayJobJson.Of(job)) : NotFound(jobId);
    }

    static IResult NotFound(string jobId) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such replay",
        detail: $"This listener has no replay with id '{jobId}'.",
        extensions: new Dictionary<string, object?> { ["field"] = "jobId" });
}
