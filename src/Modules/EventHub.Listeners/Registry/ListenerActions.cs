using System.Text;
using System.Text.Json;
using EventHub.Access;
using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Health;
using EventHub.Listeners.Queues;
using EventHub.Listeners.Replays;
using EventHub.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EventHub.Listeners.Registry;

/// <summary>The dashboard's resume, dead-letter replay and replay jobs, in process, with the API's ownership rule (<see cref="ListenerAccess.MayUse"/>).</summary>
internal sealed class ListenerActions(
    ListenerStore store, DeliveryStore deliveries, ListenerHealth health, ListenerQueues endpoints, ApiKeys keys, ReplayJobStore jobs, ReplayJobRunner runner, IOptions<ListenersOptions> options, TimeProvider time)
    : IListenerActions
{
    public async Task<ListenerActionOutcome> ResumeAsync(string listenerId, string keyName, CancellationToken cancellationToken)
    {
        if (await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is not { } listener)
            return ListenerActionOutcome.NotFound;
        if (!await health.ResumeAsync(listener, cancellationToken))
            return ListenerActionOutcome.Refused;
        await endpoints.SyncAsync(cancellationToken);
        return ListenerActionOutcome.Done;
    }

    public async Task<int?> ReplayDeadLettersAsync(string listenerId, IReadOnlyCollection<string> eventIds, string keyName, CancellationToken cancellationToken) =>
        await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is null
            ? null
            : await deliveries.ReplayAsync(listenerId, eventIds, UnixMicros.From(time.GetUtcNow()), cancellationToken);

    public async Task<string?> ReplayJobsJsonAsync(string listenerId, string keyName, CancellationToken cancellationToken) =>
        await store.FindUsableAsync(listenerId, keys.Named(keyName), cancellationToken) is null
            ? null
            : JsonSerializer.Serialize((await jobs.ListAsync(listenerId, 20, cancellationToken)).Select(ReplayJobJson.Of), JsonOptions);

    public async Task<ListenerActionRefusal?> StartReplayAsync(string listenerId, string bodyJson, string keyName, CancellationToken cancellationToken)
    {
        if (keys.Named(keyName) is not { } caller || await store.FindUsableAsync(listenerId, caller, cancellationToken) is not { } listener)
            return new ListenerActionRefusal(StatusCodes.Status404NotFound, "id", $"No listener with id '{listenerId}' that this key may use.");
        var result = await ReplaysApi.StartForAsync(listener, caller, Encoding.UTF8.GetBytes(bodyJson), jobs, runner, options.Value, time, cancellationToken);
        return result is ProblemHttpResult problem
            ? new ListenerActionRefusal(
                problem.StatusCode,
                problem.ProblemDetails.Extensions.TryGetValue("field", out var field) ? field?.ToString() ?? "body" : "body",
                problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Refused.")
            : null;
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
