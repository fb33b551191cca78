using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace EventHub.Client;

/// <summary>
/// The hub over HTTP: emit events, listen to them with handlers (pull delivery over server-sent events, each event
/// acknowledged with the handler's output or failure), deregister, and query events, transactions and dead letters.
/// Thread-safe; one per application (or per hub) is enough.
/// </summary>
public sealed class EventHubClient : IAsyncDisposable
{
    const string KeyHeader = "X-EventHub-Key";
    readonly HttpClient _http;
    readonly bool _ownsHttp;
    readonly Uri _base;
    readonly List<EventSubscription> _subscriptions = [];

    /// <summary>A client with its own connection pool and the default resilience (retries with backoff, a total timeout).</summary>
    /// <param name="options">Where the hub is and the API key.</param>
    public EventHubClient(EventHubClientOptions options)
        : this(CreateHttpClient(options), options, NullLogger<EventHubClient>.Instance, ownsHttp: true)
    {
    }

    /// <summary>The typed client created by <see cref="EventHubClientServiceCollectionExtensions.AddEventHubClient"/>.</summary>
    /// <param name="http">The HttpClient from IHttpClientFactory, with the resilience handler.</param>
    /// <param name="options">Where the hub is and the API key.</param>
    /// <param name="logger">Where reconnections and failed acknowledgements are logged.</param>
    [ActivatorUtilitiesConstructor]
    public EventHubClient(HttpClient http, IOptions<EventHubClientOptions> options, ILogger<EventHubClient>? logger = null)
        : this(http, options.Value, logger ?? (ILogger)NullLogger<EventHubClient>.Instance, ownsHttp: false)
    {
    }

    EventHubClient(HttpClient http, EventHubClientOptions options, ILogger logger, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Logger = logger;
        _http = http;
        _ownsHttp = ownsHttp;
        var text = options.BaseAddress!.AbsoluteUri;
        _base = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    internal EventHubClientOptions Options { get; }

    internal ILogger Logger { get; }

    internal HttpClient Http => _http;

    /// <summary>Emits one event; returns its id once the hub's broker has accepted it.</summary>
    /// <param name="name">Lowercase dotted name, e.g. <c>order.placed</c>.</param>
    /// <param name="payload">Any value serialisable to JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event's id.</returns>
    /// <exception cref="EventHubValidationException">The name or the payload was refused; <see cref="EventHubException.Field"/> says which.</exception>
    public async Task<string> EmitAsync(string name, object? payload, CancellationToken cancellationToken = default) =>
        (await EmitCoreAsync(EventJson(new EmitEvent(name, payload)), cancellationToken))[0];

    /// <summary>Emits one event with its own id or time.</summary>
    /// <param name="emitEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event's id.</returns>
    public async Task<string> EmitAsync(EmitEvent emitEvent, CancellationToken cancellationToken = default) =>
        (await EmitCoreAsync(EventJson(emitEvent), cancellationToken))[0];

    /// <summary>Emits a batch, all or nothing: one invalid event refuses the whole batch (naming <c>[i].field</c>).</summary>
    /// <param name="events">The events, at most the hub's <c>EventHub__Emit__MaxBatchSize</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids, in the order of <paramref name="events"/>.</returns>
    public async Task<IReadOnlyList<string>> EmitAsync(IEnumerable<EmitEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var batch = new JsonArray([.. events.Select(EventJson)]);
        if (batch.Count == 0)
            throw new ArgumentException("Emit at least one event.", nameof(events));
        return await EmitCoreAsync(batch, cancellationToken);
    }

    async Task<IReadOnlyList<string>> EmitCoreAsync(JsonNode body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/events", body);
        // The same key on every retry of this call: the hub publishes and stores the events once.
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var document = await SendForJsonAsync(request, cancellationToken);
        return [.. document.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!)];
    }

    JsonObject EventJson(EmitEvent e)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(e.Name, nameof(EmitEvent.Name));
        var json = new JsonObject { ["name"] = e.Name, ["payload"] = JsonSerializer.SerializeToNode(e.Payload, Options.JsonOptions) };
        if (e.Id is not null)
            json["id"] = e.Id;
        if (e.Time is { } time)
            json["time"] = time.ToString("O", CultureInfo.InvariantCulture);
        return json;
    }

    /// <summary>
    /// Listens to events matching <paramref name="pattern"/>: registers the pull listener (or reuses it: same pattern,
    /// platform, label and transaction key), opens its stream, runs <paramref name="handler"/> for each event and
    /// acknowledges it with the returned value as the transaction's output, or with the exception's message as a
    /// failure (retried on the listener's schedule, then a dead letter). Reconnects with backoff; stops when disposed.
    /// </summary>
    /// <param name="pattern">An event name or topic pattern: <c>order.*</c> (one word), <c>auth0.#</c> (zero or more).</param>
    /// <param name="handler">Runs once per delivery (at least once per event: de-duplicate on <see cref="HubEvent.Id"/>); its result is stored as JSON.</param>
    /// <param name="options">Key, since, concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels registering and connecting; cancelled later, it stops the subscription as disposing it does (pass a host's stopping token).</param>
    /// <returns>The running subscription, once its stream is open.</returns>
    public async Task<EventSubscription> OnAsync(string pattern, Func<HubEvent, CancellationToken, Task<object?>> handler, ListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new ListenOptions();
        if (options.MaxConcurrency is < 1 or > 1000)
            throw new ArgumentException("ListenOptions.MaxConcurrency must be from 1 to 1000.", nameof(options));

        var key = new ListenerKey { Name = pattern, Platform = options.Platform, Label = options.Label, TxKey = options.TxKey };
        var (listenerId, secret) = await RegisterAsync(key, options, cancellationToken);
        var subscription = new EventSubscription(this, listenerId, secret, key, handler, options.MaxConcurrency);
        await subscription.StartAsync(cancellationToken);
        lock (_subscriptions)
            _subscriptions.Add(subscription);
        subscription.StopWhen(cancellationToken);
        return subscription;
    }

    /// <summary>Listens with a handler that returns nothing: the transaction records success without output.</summary>
    /// <param name="pattern">An event name or topic pattern.</param>
    /// <param name="handler">Runs once per delivery.</param>
    /// <param name="options">Key, since, concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels registering and connecting; cancelled later, it stops the subscription.</param>
    /// <returns>The running subscription.</returns>
    public Task<EventSubscription> OnAsync(string pattern, Func<HubEvent, CancellationToken, Task> handler, ListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnAsync(pattern, async (e, ct) =>
        {
            await handler(e, ct);
            return null;
        }, options, cancellationToken);
    }

    /// <summary>Listens with a typed handler: the payload is deserialised as <typeparamref name="T"/>; one that is not fails the delivery.</summary>
    /// <typeparam name="T">The payload's type.</typeparam>
    /// <param name="pattern">An event name or topic pattern.</param>
    /// <param name="handler">Runs once per delivery; its result is stored as the transaction's output.</param>
    /// <param name="options">Key, since, concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels registering and connecting; cancelled later, it stops the subscription.</param>
    /// <returns>The running subscription.</returns>
    public Task<EventSubscription> OnAsync<T>(string pattern, Func<HubEvent<T>, CancellationToken, Task<object?>> handler, ListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnAsync(pattern, (e, ct) => handler(Typed<T>(e), ct), options, cancellationToken);
    }

    /// <summary>Listens with a typed handler that returns nothing.</summary>
    /// <typeparam name="T">The payload's type.</typeparam>
    /// <param name="pattern">An event name or topic pattern.</param>
    /// <param name="handler">Runs once per delivery.</param>
    /// <param name="options">Key, since, concurrency; defaults when null.</param>
    /// <param name="cancellationToken">Cancels registering and connecting; cancelled later, it stops the subscription.</param>
    /// <returns>The running subscription.</returns>
    public Task<EventSubscription> OnAsync<T>(string pattern, Func<HubEvent<T>, CancellationToken, Task> handler, ListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnAsync(pattern, async (e, ct) =>
        {
            await handler(Typed<T>(e), ct);
            return null;
        }, options, cancellationToken);
    }

    HubEvent<T> Typed<T>(HubEvent e)
    {
        T data;
        try
        {
            data = e.Payload.Deserialize<T>(Options.JsonOptions)!;
        }
        catch (JsonException invalid)
        {
            throw new JsonException($"The payload of {e.Name} {e.Id} is not a {typeof(T).Name}: {invalid.Message}", invalid);
        }

        return new HubEvent<T> { Id = e.Id, Name = e.Name, Source = e.Source, Time = e.Time, ReceivedAt = e.ReceivedAt, Attempt = e.Attempt, Payload = e.Payload, Data = data };
    }

    async Task<(string Id, string? Secret)> RegisterAsync(ListenerKey key, ListenOptions options, CancellationToken cancellationToken)
    {
        var delivery = new JsonObject { ["type"] = "pull" };
        if (options.TimeoutSeconds is { } timeout)
            delivery["timeoutSeconds"] = timeout;
        var body = new JsonObject
        {
            ["name"] = key.ListenerName,
            ["platform"] = key.Platform,
            ["label"] = key.Label,
            ["events"] = new JsonArray([.. (options.Events ?? [key.Name]).Select(e => (JsonNode)e)]),
            ["delivery"] = delivery,
        };
        if (options.RetrySchedule is { } schedule)
            body["retry"] = new JsonObject { ["schedule"] = new JsonArray([.. schedule.Select(s => (JsonNode)s)]) };
        if (options.Since is { } since)
            body["since"] = since.ToString("O", CultureInfo.InvariantCulture);
        if (options.Filter is { } filter)
            body["filter"] = filter.DeepClone();
        using var request = Request(HttpMethod.Post, "v1/listeners", body);
        using var document = await SendForJsonAsync(request, cancellationToken);
        var root = document.RootElement;
        return (root.GetProperty("id").GetString()!, root.TryGetProperty("secret", out var secret) ? secret.GetString() : null);
    }

    /// <summary>Deregisters the listener with this key: stops its subscriptions here, removes its queue at the hub, drops what it had not delivered.</summary>
    /// <param name="key">The pattern, platform, label and transaction key given to OnAsync.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when no such listener was registered.</returns>
    public async Task<bool> OffAsync(ListenerKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await StopLocalAsync(s => s.Key == key);
        var listeners = await GetListenersAsync(cancellationToken);
        var match = listeners.FirstOrDefault(l => l.Name == key.ListenerName && l.Platform == key.Platform && l.Label == key.Label);
        if (match is null)
            return false;
        await DeleteQuietlyAsync(match.Id, cancellationToken);
        return true;
    }

    /// <summary>
    /// Deregisters every pull listener at the hub with this <paramref name="platform"/> (and <paramref name="label"/>),
    /// or every pull listener when both are null; webhook listeners are left alone.
    /// </summary>
    /// <param name="platform">Only listeners of this platform; all when null.</param>
    /// <param name="label">Only listeners with this label; all when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many listeners were removed.</returns>
    public async Task<int> OffAllAsync(string? platform = null, string? label = null, CancellationToken cancellationToken = default)
    {
        bool Matches(string? p, string? l) => (platform is null || p == platform) && (label is null || l == label);
        await StopLocalAsync(s => Matches(s.Key.Platform, s.Key.Label));
        var removed = 0;
        foreach (var listener in (await GetListenersAsync(cancellationToken)).Where(l => l.Delivery.Type == "pull" && Matches(l.Platform, l.Label)))
        {
            await DeleteQuietlyAsync(listener.Id, cancellationToken);
            removed++;
        }

        return removed;
    }

    async Task StopLocalAsync(Func<EventSubscription, bool> which)
    {
        List<EventSubscription> stopping;
        lock (_subscriptions)
            stopping = [.. _subscriptions.Where(which)];
        foreach (var subscription in stopping)
            await subscription.DisposeAsync();
    }

    internal void Forget(EventSubscription subscription)
    {
        lock (_subscriptions)
            _subscriptions.Remove(subscription);
    }

    /// <summary>Every listener registered at the hub, webhook and pull (without secrets).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listeners.</returns>
    public async Task<IReadOnlyList<ListenerInfo>> GetListenersAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, "v1/listeners");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.Deserialize<ListenerInfo>(Json.Default)!)];
    }

    /// <summary>One listener with its queue depth and transaction counts by state.</summary>
    /// <param name="id">The listener's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listener.</returns>
    /// <exception cref="EventHubNotFoundException">No listener has this id.</exception>
    public async Task<ListenerInfo> GetListenerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var request = Request(HttpMethod.Get, $"v1/listeners/{Uri.EscapeDataString(id)}");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<ListenerInfo>(Json.Default)!;
    }

    /// <summary>Deregisters a listener by id: removes its queue and drops what it had not delivered.</summary>
    /// <param name="id">The listener's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many undelivered events were dropped.</returns>
    /// <exception cref="EventHubNotFoundException">No listener has this id.</exception>
    public async Task<long> DeleteListenerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        using var request = Request(HttpMethod.Delete, $"v1/listeners/{Uri.EscapeDataString(id)}");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.TryGetProperty("dropped", out var dropped) ? dropped.GetInt64() : 0;
    }

    async Task DeleteQuietlyAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteListenerAsync(id, cancellationToken);
        }
        catch (EventHubNotFoundException)
        {
            // Removed meanwhile (another copy of the application): what was asked for is true.
        }
    }

    /// <summary>Pages through the event log (in the order events were stored), fetching the next page as it is enumerated.</summary>
    /// <param name="query">Filters; all events when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events, with their payloads.</returns>
    public async IAsyncEnumerable<HubEvent> GetEventsAsync(EventQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new EventQuery();
        string? after = null;
        do
        {
            var parameters = new List<string> { $"limit={query.PageSize.ToString(CultureInfo.InvariantCulture)}" };
            Add(parameters, "name", query.Name);
            Add(parameters, "source", query.Source);
            Add(parameters, "since", query.Since?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "until", query.Until?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "after", after);
            using var request = Request(HttpMethod.Get, "v1/events?" + string.Join('&', parameters));
            using var page = await SendForJsonAsync(request, cancellationToken);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                yield return Json.ReadEvent(item);
            after = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (after is not null);
    }

    /// <summary>Pages through a listener's transactions: one per event, with its state, attempts and output.</summary>
    /// <param name="listenerId">The listener's id (<see cref="EventSubscription.ListenerId"/>).</param>
    /// <param name="state">Only this state: <c>pending</c>, <c>succeeded</c>, <c>failed-retrying</c>, <c>dead</c>, <c>failed</c>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The transactions, by event id.</returns>
    public async IAsyncEnumerable<Transaction> GetTransactionsAsync(string listenerId, string? state = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        string? after = null;
        do
        {
            var parameters = new List<string> { "limit=100" };
            Add(parameters, "state", state);
            Add(parameters, "after", after);
            using var request = Request(HttpMethod.Get, $"v1/listeners/{Uri.EscapeDataString(listenerId)}/transactions?{string.Join('&', parameters)}");
            using var page = await SendForJsonAsync(request, cancellationToken);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                yield return item.Deserialize<Transaction>(Json.Default)!;
            after = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (after is not null);
    }

    /// <summary>Delivers a listener's dead letters again (all, or the given events), with a fresh retry schedule.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="eventIds">Only these events; every dead letter when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were put back.</returns>
    public Task<int> ReplayDeadLettersAsync(string listenerId, IEnumerable<string>? eventIds = null, CancellationToken cancellationToken = default) =>
        ReplayDeadLettersAsync(listenerId, new DeadLetterSelection { EventIds = eventIds?.ToList() }, cancellationToken);

    /// <summary>Delivers the dead letters a selection takes again (names, time range, last status, ids), with a fresh retry schedule.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="selection">Which dead letters: every condition given must hold; none given means all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were put back.</returns>
    public async Task<int> ReplayDeadLettersAsync(string listenerId, DeadLetterSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        ArgumentNullException.ThrowIfNull(selection);
        var body = new JsonObject();
        if (selection.EventIds is { } eventIds)
            body["eventIds"] = Array(eventIds);
        if (selection.Events is { } events)
            body["events"] = Array(events);
        if (selection.From is { } from)
            body["from"] = from.ToString("O", CultureInfo.InvariantCulture);
        if (selection.To is { } to)
            body["to"] = to.ToString("O", CultureInfo.InvariantCulture);
        if (selection.LastStatus is { } statuses)
            body["lastStatus"] = new JsonArray([.. statuses.Select(s => (JsonNode)s)]);
        using var request = Request(HttpMethod.Post, $"v1/listeners/{Uri.EscapeDataString(listenerId)}/dead-letters/replay", body);
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.GetProperty("replayed").GetInt32();
    }

    /// <summary>The Sigma rules the hub loaded (with their matches and alerts in the answering host copy) and those it refused, with why. Scope <c>auth0:read</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rules.</returns>
    public async Task<DetectionList> GetDetectionsAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, "v1/detections");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<DetectionList>(Json.Default)!;
    }

    /// <summary>Which rules match one Auth0 Log Stream entry, before any correlation; nothing is published or counted. Scope <c>auth0:read</c>.</summary>
    /// <param name="data">The entry's <c>data</c> object (with its <c>type</c> code).</param>
    /// <param name="logId">The entry's <c>log_id</c>, if it has one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matching rules, with the selections that matched.</returns>
    /// <exception cref="EventHubValidationException">The entry is not an object with a string <c>type</c>.</exception>
    public Task<DetectionTest> TestDetectionsAsync(JsonObject data, string? logId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var entry = new JsonObject { ["data"] = data.DeepClone() };
        if (logId is not null)
            entry["log_id"] = logId;
        return TestDetectionsAsync(new JsonObject { ["entry"] = entry }, cancellationToken);
    }

    /// <summary>Which rules match an Auth0 entry the hub's event log holds, by its <c>log_id</c>. Scope <c>auth0:read</c>.</summary>
    /// <param name="logId">The entry's <c>log_id</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matching rules, with the selections that matched.</returns>
    /// <exception cref="EventHubNotFoundException">No Auth0 entry with this <c>log_id</c> is in the event log.</exception>
    public Task<DetectionTest> TestDetectionsByLogIdAsync(string logId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logId);
        return TestDetectionsAsync(new JsonObject { ["logId"] = logId }, cancellationToken);
    }

    async Task<DetectionTest> TestDetectionsAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/detections/test", body);
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<DetectionTest>(Json.Default)!;
    }

    /// <summary>Delivers a listener's past events from the event log again, as a job the hub runs (any of its copies); follow it with <see cref="GetReplayAsync"/>.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="replay">The time range, patterns and filter of the events to deliver again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, as started.</returns>
    /// <exception cref="EventHubException">Refused: a bad field (400), another key's listener (403), too many replays running (429).</exception>
    public async Task<ReplayJob> StartReplayAsync(string listenerId, ReplayRequest replay, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        ArgumentNullException.ThrowIfNull(replay);
        var body = new JsonObject { ["from"] = replay.From.ToString("O", CultureInfo.InvariantCulture) };
        if (replay.To is { } to)
            body["to"] = to.ToString("O", CultureInfo.InvariantCulture);
        if (replay.Events is { } events)
            body["events"] = Array(events);
        if (replay.Filter is { } filter)
            body["filter"] = filter.DeepClone();
        using var request = Request(HttpMethod.Post, $"{ReplaysPath(listenerId)}", body);
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<ReplayJob>(Json.Default)!;
    }

    /// <summary>One replay job: its state and counts.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job.</returns>
    /// <exception cref="EventHubNotFoundException">No such listener or job.</exception>
    public async Task<ReplayJob> GetReplayAsync(string listenerId, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        using var request = Request(HttpMethod.Get, $"{ReplaysPath(listenerId)}/{Uri.EscapeDataString(jobId)}");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<ReplayJob>(Json.Default)!;
    }

    /// <summary>A listener's replay jobs, newest first.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    public async Task<IReadOnlyList<ReplayJob>> GetReplaysAsync(string listenerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        using var request = Request(HttpMethod.Get, ReplaysPath(listenerId));
        using var document = await SendForJsonAsync(request, cancellationToken);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.Deserialize<ReplayJob>(Json.Default)!)];
    }

    /// <summary>Cancels a running replay job; what it delivered stays delivered.</summary>
    /// <param name="listenerId">The listener's id.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job as it is now (<c>cancelled</c>, or how it had already ended).</returns>
    public async Task<ReplayJob> CancelReplayAsync(string listenerId, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listenerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        using var request = Request(HttpMethod.Delete, $"{ReplaysPath(listenerId)}/{Uri.EscapeDataString(jobId)}");
        using var document = await SendForJsonAsync(request, cancellationToken);
        return document.RootElement.Deserialize<ReplayJob>(Json.Default)!;
    }

    static string ReplaysPath(string listenerId) => $"v1/listeners/{Uri.EscapeDataString(listenerId)}/replays";

    static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    static void Add(List<string> parameters, string name, string? value)
    {
        if (value is not null)
            parameters.Add($"{name}={Uri.EscapeDataString(value)}");
    }

    internal HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Add(KeyHeader, Options.ApiKey);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Options.JsonOptions));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    internal async Task<JsonDocument> SendForJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    /// <summary>Sends with the resilience pipeline; a connection failure or a timeout becomes <see cref="EventHubUnavailableException"/>.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new EventHubUnavailableException($"EventHub at {_base} could not be reached ({e.HttpRequestError}: {e.Message})", null, null, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new EventHubUnavailableException($"EventHub at {_base} did not answer within {Options.Timeout.TotalSeconds:0.#} s (EventHubClientOptions.Timeout; at most {Options.AttemptTimeout.TotalSeconds:0.#} s per attempt)", null, null, e);
        }
        catch (BrokenCircuitException e)
        {
            throw new EventHubUnavailableException($"EventHub at {_base} failed repeatedly; calls are paused for a moment", null, null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EventHubUnavailableException($"EventHub at {_base} did not answer in time", null, null, e);
        }
    }

    /// <summary>Turns an unsuccessful answer into the typed exception carrying the hub's problem document.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;

        EventHubProblem? problem = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = JsonSerializer.Deserialize<EventHubProblem>(text, Json.Default);
            }
            catch (JsonException)
            {
            }
        }

        var status = response.StatusCode;
        var message = $"EventHub answered {(int)status} {problem?.Title ?? response.ReasonPhrase}" + (problem?.Detail is { } detail ? $": {detail}" : "");
        throw status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity
                => new EventHubValidationException(message, status, problem),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new EventHubAuthenticationException(message, status, problem),
            HttpStatusCode.NotFound => new EventHubNotFoundException(message, status, problem),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => new EventHubUnavailableException(message, status, problem, null),
            _ => new EventHubException(message, status, problem),
        };
    }

    static HttpClient CreateHttpClient(EventHubClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        ConfigureResilience(pipeline, options);
        var handler = new ResilienceHandler(pipeline.Build()) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) } };
        // The pipeline's timeout bounds each call; a stream stays open as long as it delivers or beats.
        return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The resilience both constructors use: a total timeout around retries with exponential backoff and jitter
    /// (Retry-After honoured) around a timeout per attempt.
    /// </summary>
    internal static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, EventHubClientOptions options)
    {
        pipeline.AddTimeout(options.Timeout);
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            });
        }

        if (options.AttemptTimeout < options.Timeout)
            pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Stops every subscription of this client (each finishes the handlers in progress first) and releases the connections it owns.</summary>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopLocalAsync(_ => true);
        if (_ownsHttp)
            _http.Dispose();
    }
}
