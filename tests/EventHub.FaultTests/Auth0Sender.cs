using System.Collections.Concurrent;
using EventHub.TestSupport;

namespace EventHub.FaultTests;

/// <summary>
/// Behaves like an Auth0 Log Stream: posts 100-entry JSON-array batches with unique log_ids, one batch in flight at a
/// time, and resends the same batch after any non-2xx answer, connection error or timeout until it gets a 2xx. Every
/// log_id of a batch that got a 2xx is acknowledged: the hub promised to keep it.
/// </summary>
internal sealed class Auth0Sender(HttpClient http, string token, Auth0Batches batches)
{
    const int BatchSize = 100;
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    // Auth0 backs off between resends; a short pause keeps a refused connection from spinning.
    static readonly TimeSpan ResendPause = TimeSpan.FromMilliseconds(200);

    readonly ConcurrentDictionary<string, byte> _acknowledged = new();
    int _entriesSent;

    public IReadOnlyCollection<string> Acknowledged => [.. _acknowledged.Keys];

    /// <summary>Batches that got a 2xx.</summary>
    public Milestones AcknowledgedBatches { get; } = new();

    /// <summary>Posts that did not get a 2xx (each was resent).</summary>
    public Milestones FailedPosts { get; } = new();

    /// <summary>The entries this sender sends, in order (<see cref="Auth0Batches.IdAt"/> names one in advance).</summary>
    public Auth0Batches Batches => batches;

    /// <summary>Entries posted, resends included.</summary>
    public int EntriesSent => Volatile.Read(ref _entriesSent);

    /// <summary>Sends <paramref name="count"/> batches, one every <paramref name="pace"/> at most; gives up (throws) at <paramref name="limit"/>.</summary>
    public async Task RunAsync(int count, TimeSpan pace, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var pacer = new PeriodicTimer(pace);
        for (var sentBatches = 0; sentBatches < count; sentBatches++)
        {
            var (body, ids) = batches.Next(BatchSize);
            while (!await PostAsync(body, ids.Count, deadline.Token))
            {
                FailedPosts.Increment();
                await Task.Delay(ResendPause, deadline.Token);
            }

            foreach (var id in ids)
                _acknowledged.TryAdd(id, 0);
            AcknowledgedBatches.Increment();
            await pacer.WaitForNextTickAsync(deadline.Token);
        }
    }

    async Task<bool> PostAsync(string body, int entries, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _entriesSent, entries);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
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
