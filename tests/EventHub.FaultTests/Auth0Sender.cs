using System.Collections.Concurrent;
using System.Diagnostics;
using EventHub.TestSupport;

namespace EventHub.FaultTests;

/// <summary>
/// Behaves like an Auth0 Log Stream behind a load balancer: posts 100-entry JSON-array batches with unique log_ids, one
/// batch in flight at a time, each new batch to the next host copy in turn, and resends the same batch after any
/// non-2xx answer, connection error or timeout until it gets a 2xx: at once to the next copy (a load balancer's retry on
/// another upstream), after a short pause once every copy failed in a row. A copy that failed is left out for a while,
/// as a load balancer's passive health check does (nginx's defaults: one failure takes an upstream out for 10 s), unless
/// every copy is out. Every log_id of a batch that got a 2xx is acknowledged: the hub promised to keep it.
/// </summary>
internal sealed class Auth0Sender
{
    const int BatchSize = 100;
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    // Auth0 backs off between resends; a short pause keeps a refused connection from spinning.
    static readonly TimeSpan ResendPause = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan LeftOutAfterFailure = TimeSpan.FromSeconds(10);

    readonly IReadOnlyList<HttpClient> _copies;
    readonly string _token;
    readonly Stopwatch _clock;
    readonly ConcurrentDictionary<string, byte> _acknowledged = new();
    readonly ConcurrentQueue<RefusedSpell> _refusedSpells = new();
    readonly TimeSpan?[] _failedAt;
    int _entriesSent;
    int _serverErrors;
    int _nextCopy;

    /// <summary>
    /// One client per host copy in <paramref name="copies"/>, <paramref name="firstCopy"/> taking the first batch; the
    /// refused spells are timed on <paramref name="clock"/>, shared by the senders of one run so their spells line up.
    /// </summary>
    public Auth0Sender(IReadOnlyList<HttpClient> copies, string token, Auth0Batches batches, Stopwatch clock, int firstCopy = 0)
    {
        _copies = copies;
        _token = token;
        _clock = clock;
        _nextCopy = firstCopy;
        AcknowledgedByCopy = [.. copies.Select(_ => new Milestones())];
        _failedAt = new TimeSpan?[copies.Count];
        Batches = batches;
    }

    public IReadOnlyCollection<string> Acknowledged => [.. _acknowledged.Keys];

    /// <summary>Answers 500 and above other than 503 (which says "send again", and is resent like a refused connection).</summary>
    public int ServerErrors => Volatile.Read(ref _serverErrors);

    /// <summary>Batches that got a 2xx.</summary>
    public Milestones AcknowledgedBatches { get; } = new();

    /// <summary>Posts that did not get a 2xx (each was resent).</summary>
    public Milestones FailedPosts { get; } = new();

    /// <summary>Batches acknowledged by each copy, in the order of the clients given.</summary>
    public IReadOnlyList<Milestones> AcknowledgedByCopy { get; }

    /// <summary>
    /// Every stretch of time from a post's failure to the 2xx of the same batch: what the sender saw of an outage. One
    /// batch is in flight at a time, so spells never overlap.
    /// </summary>
    public IReadOnlyList<RefusedSpell> RefusedSpells => [.. _refusedSpells];

    /// <summary>The entries this sender sends, in order (<see cref="Auth0Batches.IdAt"/> names one in advance).</summary>
    public Auth0Batches Batches { get; }

    /// <summary>Entries posted, resends included.</summary>
    public int EntriesSent => Volatile.Read(ref _entriesSent);

    /// <summary>
    /// Sends <paramref name="count"/> batches, one every <paramref name="pace"/> at most (zero: back to back), or fewer if
    /// <paramref name="stop"/> completes first (the batch in flight is still resent until acknowledged); gives up
    /// (throws) at <paramref name="limit"/>.
    /// </summary>
    public async Task RunAsync(int count, TimeSpan pace, TimeSpan limit, Task? stop = null)
    {
        try
        {
            await SendAsync(count, pace, limit, stop);
        }
        finally
        {
            // Whoever waits for more progress learns that none will come, instead of waiting forever.
            foreach (var milestones in AcknowledgedByCopy.Append(AcknowledgedBatches).Append(FailedPosts))
                milestones.Close($"the sender stopped after {AcknowledgedBatches.Count} acknowledged batches");
        }
    }

    async Task SendAsync(int count, TimeSpan pace, TimeSpan limit, Task? stop)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var pacer = pace > TimeSpan.Zero ? new PeriodicTimer(pace) : null;
        for (var sentBatches = 0; sentBatches < count && stop is not { IsCompleted: true }; sentBatches++)
        {
            var (body, ids) = Batches.Next(BatchSize);
            var copy = NextCopy();
            TimeSpan? firstFailure = null;
            var failedPosts = 0;
            for (var failedInARow = 0; !await PostAsync(_copies[copy], body, ids.Count, deadline.Token); copy = (copy + 1) % _copies.Count)
            {
                _failedAt[copy] = _clock.Elapsed;
                firstFailure ??= _clock.Elapsed;
                failedPosts++;
                FailedPosts.Increment();
                if (++failedInARow % _copies.Count == 0)
                    await Task.Delay(ResendPause, deadline.Token);
            }

            _failedAt[copy] = null;
            if (firstFailure is { } failedAt)
                _refusedSpells.Enqueue(new RefusedSpell(failedAt, _clock.Elapsed - failedAt, failedPosts));
            foreach (var id in ids)
                _acknowledged.TryAdd(id, 0);
            AcknowledgedByCopy[copy].Increment();
            AcknowledgedBatches.Increment();
            if (pacer is not null)
                await pacer.WaitForNextTickAsync(deadline.Token);
        }
    }

    int NextCopy()
    {
        for (var tried = 0; tried < _copies.Count; tried++)
        {
            var copy = _nextCopy;
            _nextCopy = (copy + 1) % _copies.Count;
            if (_failedAt[copy] is not { } failedAt || _clock.Elapsed - failedAt >= LeftOutAfterFailure)
                return copy;
        }

        return _nextCopy;
    }

    async Task<bool> PostAsync(HttpClient http, string body, int entries, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _entriesSent, entries);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _token);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if ((int)response.StatusCode >= 500 && response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
                Interlocked.Increment(ref _serverErrors);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
