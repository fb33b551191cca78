using System.Threading.Channels;

namespace EventHub.Dashboard.Live;

/// <summary>
/// Fans the events this copy receives out to every open live page, and keeps the latest ones for a page that just opened.
/// Each watcher has a bounded buffer that drops its oldest entries when it falls behind: a slow browser must not hold
/// memory or slow the bus consumer down.
/// </summary>
internal sealed class LiveFeed
{
    public const int Kept = 200;
    const int WatcherBuffer = 500;

    readonly LinkedList<LiveEvent> _recent = new();
    readonly List<Channel<LiveEvent>> _watchers = [];
    readonly Lock _lock = new();

    public void Publish(LiveEvent e)
    {
        lock (_lock)
        {
            _recent.AddFirst(e);
            if (_recent.Count > Kept)
                _recent.RemoveLast();
            foreach (var watcher in _watchers)
                watcher.Writer.TryWrite(e);
        }
    }

    /// <summary>The latest events matching the filter, newest first.</summary>
    public IReadOnlyList<LiveEvent> Recent(LiveFilter filter, int limit)
    {
        lock (_lock)
            return [.. _recent.Where(filter.Matches).Take(limit)];
    }

    public Watcher Watch()
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
            _watchers.Add(channel);
        return new Watcher(this, channel);
    }

    public int Watchers
    {
        get { lock (_lock) return _watchers.Count; }
    }

    internal sealed class Watcher(LiveFeed feed, Channel<LiveEvent> channel) : IDisposable
    {
        public ChannelReader<LiveEvent> Events => channel.Reader;

        public void Dispose()
        {
            lock (feed._lock)
                feed._watchers.Remove(channel);
        }
    }
}
