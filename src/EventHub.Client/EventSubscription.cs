using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace EventHub.Client;

/// <summary>
/// A running listener: reads its stream, runs the handler (at most the subscription's MaxConcurrency at a time) and
/// acknowledges each event; reconnects with backoff when the stream breaks. Dispose to stop: no new events are
/// started, the handlers in progress finish and acknowledge (within the client's ShutdownTimeout), then the stream
/// closes. The listener stays registered (see <see cref="EventHubClient.OffAsync"/>): its events wait in its queue.
/// </summary>
public sealed class EventSubscription : IAsyncDisposable
{
    readonly EventHubClient _client;
    readonly Func<HubEvent, CancellationToken, Task<object?>> _handler;
    readonly int _maxConcurrency;
    readonly SemaphoreSlim _slots;
    readonly CancellationTokenSource _stopping = new();
    readonly CancellationTokenSource _abort = new();
    readonly ConcurrentDictionary<Task, bool> _handling = new();
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Task? _run;
    CancellationTokenRegistration _stopRegistration;
    string? _lastEventId;
    int _connections;
    int _disposed;

    internal EventSubscription(EventHubClient client, string listenerId, string? secret, ListenerKey key, Func<HubEvent, CancellationToken, Task<object?>> handler, int maxConcurrency)
    {
        _client = client;
        ListenerId = listenerId;
        Secret = secret;
        Key = key;
        _handler = handler;
        _maxConcurrency = maxConcurrency;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>The listener's id at the hub (for <see cref="EventHubClient.GetTransactionsAsync"/> and <see cref="EventHubClient.ReplayDeadLettersAsync(string, DeadLetterSelection, CancellationToken)"/>).</summary>
    public string ListenerId { get; }

    /// <summary>
    /// The listener's <c>whsec_</c> secret, as its registration answered: what a handler that passes events on signs
    /// them with (<see cref="Webhooks.Sign"/>), as <c>eventhub listen --forward-to</c> does.
    /// </summary>
    public string? Secret { get; }

    /// <summary>The listener's key: pattern, platform, label, transaction key.</summary>
    public ListenerKey Key { get; }

    /// <summary>How many times the stream has been opened (1 before any reconnection).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Completes when the subscription has stopped: after disposal, or faulted when the hub ended it for good (the
    /// listener was deregistered: <see cref="EventHubNotFoundException"/>; the key was revoked: <see cref="EventHubAuthenticationException"/>).
    /// </summary>
    public Task Completion => _completion.Task;

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first connection is made here so that a bad key, a missing listener or an unreachable hub is the caller's exception.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var first = await ConnectAsync(linked.Token);
        _run = Task.Run(() => RunAsync(first), CancellationToken.None);
    }

    internal void StopWhen(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            _stopRegistration = cancellationToken.Register(() => _ = DisposeAsync().AsTask());
    }

    async Task RunAsync(Stream first)
    {
        var connection = first;
        var delay = _client.Options.ReconnectDelay;
        Exception? terminal = null;
        while (true)
        {
            var wasOpen = connection is not null;
            if (connection is not null)
            {
                try
                {
                    await ReadAsync(connection);
                    _client.Logger.LogInformation("The stream of listener {ListenerId} ended; reconnecting", ListenerId);
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    _client.Logger.LogWarning("The stream of listener {ListenerId} broke ({Error}); reconnecting", ListenerId, e.Message);
                }
                catch (Exception)
                {
                }
                finally
                {
                    await connection.DisposeAsync();
                }

                connection = null;
            }

            if (_stopping.IsCancellationRequested)
                break;
            try
            {
                // A stream that was open is reopened at once: its copy died or the path broke, and the balancer sends the
                // new connection elsewhere; the events it held come back only through a new stream (docs/adr/0024). Later
                // tries back off. Jitter keeps many subscribers of a restarted hub from reconnecting in step.
                var wait = wasOpen ? delay * Random.Shared.NextDouble() * 0.1 : delay * (0.8 + (Random.Shared.NextDouble() * 0.4));
                await Task.Delay(wait, _stopping.Token);
                connection = await ConnectAsync(_stopping.Token);
                delay = _client.Options.ReconnectDelay;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (EventHubException e) when (e is EventHubNotFoundException or EventHubAuthenticationException)
            {
                terminal = e;
                _client.Logger.LogError("Listener {ListenerId} stopped: {Error}", ListenerId, e.Message);
                break;
            }
            catch (Exception e)
            {
                _client.Logger.LogWarning("Reconnecting the stream of listener {ListenerId} failed ({Error}); next try in {Delay}", ListenerId, e.Message, delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _client.Options.MaxReconnectDelay.Ticks));
            }
        }

        // Handlers still running are waited for (within ShutdownTimeout) by DisposeAsync, not here: one that ignores
        // its cancellation token must not keep the subscription from stopping.
        if (terminal is null)
            _completion.TrySetResult();
        else
            _completion.TrySetException(terminal);
    }

    /// <summary>Opens the stream and reads up to its <c>ready</c> event; returns the open body.</summary>
    async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        using var request = _client.Request(HttpMethod.Get, $"v1/listeners/{Uri.EscapeDataString(ListenerId)}/stream?maxInFlight={_maxConcurrency.ToString(CultureInfo.InvariantCulture)}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (_lastEventId is not null)
            request.Headers.Add("Last-Event-ID", _lastEventId);
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EventHubClient.EnsureSuccessAsync(response, cancellationToken);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            Interlocked.Increment(ref _connections);
            return new ResponseStream(response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    async Task ReadAsync(Stream body)
    {
        // Events of this stream still waiting for a handler slot when it ends are not started: the hub redelivers them.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        try
        {
            await ReadFramesAsync(body, ended.Token);
        }
        finally
        {
            await ended.CancelAsync();
        }
    }

    async Task ReadFramesAsync(Stream body, CancellationToken ended)
    {
        using var reader = new StreamReader(body);
        // Until the hub says how often it beats, allow a generous silence; then three missed heartbeats mean a dead stream.
        var silence = TimeSpan.FromSeconds(60);
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        string? eventType = null;
        string? id = null;
        var data = new List<string>();
        while (true)
        {
            watchdog.CancelAfter(silence);
            var line = await reader.ReadLineAsync(watchdog.Token);
            if (line is null)
                return;
            if (line.Length == 0)
            {
                if (eventType == "ready" && data.Count > 0)
                {
                    using var ready = JsonDocument.Parse(string.Join('\n', data));
                    if (ready.RootElement.TryGetProperty("heartbeatSeconds", out var beat) && beat.TryGetDouble(out var seconds) && seconds > 0)
                        silence = TimeSpan.FromSeconds(seconds * 3);
                }
                else if (eventType == "event" && data.Count > 0)
                {
                    Dispatch(JsonDocument.Parse(string.Join('\n', data)), ended);
                    if (id is not null)
                        _lastEventId = id;
                }

                eventType = null;
                id = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
                continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    eventType = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
                case "id":
                    id = value;
                    break;
            }
        }
    }

    /// <summary>
    /// Hands an event to a handler without holding up the stream: the reader must keep reading to see its stream end (a
    /// dead copy) while every slot is busy. The hub sends no more than maxInFlight unacknowledged, which bounds the waiting.
    /// </summary>
    void Dispatch(JsonDocument document, CancellationToken streamEnded)
    {
        HubEvent hubEvent;
        using (document)
            hubEvent = Json.ReadEvent(document.RootElement);
        if (_stopping.IsCancellationRequested)
            return;
        var handling = Task.Run(() => HandleAsync(hubEvent, streamEnded), CancellationToken.None);
        _handling[handling] = true;
        _ = handling.ContinueWith(t => _handling.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    async Task HandleAsync(HubEvent hubEvent, CancellationToken streamEnded)
    {
        try
        {
            await _slots.WaitAsync(streamEnded);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (_stopping.IsCancellationRequested)
        {
            // Stopping: no new events are started (the hub delivers this one again).
            _slots.Release();
            return;
        }

        JsonObject acknowledgement;
        try
        {
            var output = await _handler(hubEvent, _abort.Token);
            acknowledgement = new JsonObject { ["status"] = "succeeded", ["output"] = output is null ? null : JsonSerializer.SerializeToNode(output, _client.Options.JsonOptions) };
        }
        catch (Exception e)
        {
            acknowledgement = new JsonObject { ["status"] = "failed", ["error"] = $"{e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            try
            {
                // The slot bounds handlers, not acknowledgements: one for an event whose copy died waits up to 10 s for
                // its 409 (docs/adr/0024), and must not keep the redelivered events from their handlers meanwhile.
                _slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // A handler that outlived its subscription's shutdown.
            }
        }

        await AcknowledgeAsync(hubEvent, acknowledgement);
    }

    async Task AcknowledgeAsync(HubEvent hubEvent, JsonObject acknowledgement)
    {
        try
        {
            using var request = _client.Request(HttpMethod.Post, $"v1/listeners/{Uri.EscapeDataString(ListenerId)}/transactions/{Uri.EscapeDataString(hubEvent.Id)}", acknowledgement);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                // Too late: the hub gave up on this delivery (timeout or lost stream) and delivers the event again.
                _client.Logger.LogInformation("Event {EventId} was no longer awaiting acknowledgement at listener {ListenerId}; it is redelivered", hubEvent.Id, ListenerId);
                return;
            }

            await EventHubClient.EnsureSuccessAsync(response, CancellationToken.None);
        }
        catch (EventHubException e)
        {
            _client.Logger.LogWarning("Acknowledging event {EventId} at listener {ListenerId} failed ({Error}); the hub delivers it again", hubEvent.Id, ListenerId, e.Message);
        }
    }

    /// <summary>Stops: no new events, handlers in progress finish and acknowledge (within ShutdownTimeout), then the stream closes.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _client.Forget(this);
        _stopRegistration.Dispose();
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_handling.Keys).WaitAsync(_client.Options.ShutdownTimeout);
        }
        catch (TimeoutException)
        {
            _client.Logger.LogWarning("Handlers of listener {ListenerId} did not finish within {Timeout}; cancelling them", ListenerId, _client.Options.ShutdownTimeout);
        }

        await _abort.CancelAsync();
        if (_run is not null)
            await _run;
        else
            _completion.TrySetResult();
        _stopping.Dispose();
        _abort.Dispose();
        _slots.Dispose();
    }

    /// <summary>The response body that also disposes its response.</summary>
    sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
