using System.Collections.Concurrent;
using System.Threading.Channels;

namespace EventHub.Listeners.Pull;

/// <summary>One listener's streams on this copy: the connections, the offers waiting for a free slot and those in flight.</summary>
internal sealed class ListenerStreams
{
    public List<PullStream> Connections { get; } = [];

    public Channel<PullOffer> Waiting { get; } = Channel.CreateUnbounded<PullOffer>();

    public ConcurrentDictionary<string, PullOffer> InFlight { get; } = new(StringComparer.Ordinal);

    public object Gate { get; } = new();

    public int Count
    {
        get
        {
            lock (Gate)
                return Connections.Count;
        }
    }
}
