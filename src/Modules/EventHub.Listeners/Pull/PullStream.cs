
namespace EventHub.Listeners.Pull;

/// <summary>One connected stream: takes offers while it has fewer than its maximum in flight.</summary>
internal sealed class PullStream(ListenerStreams streams, int maxInFlight, CancellationToken requestAborted) : IDisposable
{
    readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);

    public ListenerStreams Streams { get; } = streams;

    /// <summary>Cancelled when the client goes away or the stream is closed by the hub.</summary>
    public CancellationToken Closed => _closed.Token;

    public void Abandon()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits for a free slot and the next offer; the offer is in flight on this stream when returned.</summary>
    public async Task<PullOffer> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _slots.WaitAsync(cancellationToken);
            PullOffer offer;
            try
            {
                offer = await Streams.Waiting.Reader.ReadAsync(cancellationToken);
            }
            catch
            {
                _slots.Release();
                throw;
            }

            if (offer.TryTake(this))
                return offer;
            _slots.Release();
        }
    }

    public void FreeSlot() => _slots.Release();

    public void Dispose()
    {
        _closed.Dispose();
        _slots.Dispose();
    }
}
