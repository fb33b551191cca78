using System.Diagnostics;

namespace EventHub.LoadTest;

/// <summary>
/// Several connections, each sending its next request as soon as the previous one is answered, for a fixed time or
/// request count: the throughput a client sees, and each request's latency. Connections take the addresses given in
/// turn (two copies of the host: half the connections each).
/// </summary>
internal static class ClosedLoop
{
    public sealed record Result(int Requests, int Succeeded, int Failed, long ItemsConfirmed, double Seconds, Latencies Latencies)
    {
        public double ItemsPerSecond => ItemsConfirmed / Seconds;
    }

    public static async Task<Result> RunAsync(
        IReadOnlyList<Uri> addresses, int connections, TimeSpan duration, int maxRequests, int itemsPerRequest, Func<HttpRequestMessage> nextRequest)
    {
        var latencies = new Latencies();
        var requests = 0;
        var succeeded = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async worker =>
        {
            // One handler per worker: one connection each, as separate Auth0 streams or clients would have.
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = addresses[worker % addresses.Count], Timeout = TimeSpan.FromSeconds(30) };
            while (clock.Elapsed < duration && Interlocked.Increment(ref requests) <= maxRequests)
            {
                using var request = nextRequest();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        Interlocked.Increment(ref succeeded);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(Math.Min(requests, maxRequests), succeeded, failed, (long)succeeded * itemsPerRequest, seconds, latencies);
    }
}
