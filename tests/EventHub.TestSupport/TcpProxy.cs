using System.Net;
using System.Net.Sockets;

namespace EventHub.TestSupport;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of one host copy or several: with several it is a plain round-robin L4 balancer
/// (each new connection goes to the next copy; a copy that refuses is skipped, as a balancer's health check would), with
/// no affinity. A test can also cut every connection through it (a network failure) while the copies run on.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly Uri[] _targets;
    readonly int[] _given;
    int _next = -1;
    readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
    readonly List<TaskCompletionSource> _frozen = [];
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public TcpProxy(params Uri[] targets)
    {
        if (targets.Length == 0)
            throw new ArgumentException("At least one target is needed.", nameof(targets));
        _targets = targets;
        _given = new int[targets.Length];
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>How many connections each target has been given, in target order.</summary>
    public int[] ConnectionsPerTarget
    {
        get
        {
            lock (_connections)
                return [.. _given];
        }
    }

    /// <summary>Closes every connection made so far, with a reset, on both sides.</summary>
    public void CutAll()
    {
        lock (_connections)
        {
            foreach (var (client, upstream) in _connections)
            {
                Reset(client);
                Reset(upstream);
            }

            _connections.Clear();
        }
    }

    /// <summary>Stops relaying on every connection made so far without closing any: a silent, half-open network path.</summary>
    public void FreezeAll()
    {
        lock (_connections)
        {
            foreach (var gate in _frozen)
                gate.TrySetResult();
        }
    }

    async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (await ConnectNextAsync(_stop.Token) is not { } upstream)
                {
                    client.Dispose();
                    continue;
                }

                var freeze = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_connections)
                {
                    _connections.Add((client, upstream));
                    _frozen.Add(freeze);
                }

                _ = PumpAsync(client, upstream, freeze.Task, _stop.Token);
                _ = PumpAsync(upstream, client, freeze.Task, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A connection to the next target in turn that accepts one; null when none does.</summary>
    async Task<TcpClient?> ConnectNextAsync(CancellationToken stop)
    {
        for (var tried = 0; tried < _targets.Length; tried++)
        {
            var index = (int)((uint)Interlocked.Increment(ref _next) % _targets.Length);
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_targets[index].Host, _targets[index].Port, stop);
                lock (_connections)
                {
                    _given[index]++;
                }

                return upstream;
            }
            catch (SocketException)
            {
                upstream.Dispose();
            }
        }

        return null;
    }

    static async Task PumpAsync(TcpClient from, TcpClient to, Task frozen, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var reading = source.ReadAsync(buffer, stop).AsTask();
                if (await Task.WhenAny(reading, frozen) == frozen)
                {
                    // Frozen: neither relay nor close, until the proxy is disposed.
                    await Task.Delay(Timeout.Infinite, stop);
                }

                var read = await reading;
                if (read == 0)
                    break;
                await target.WriteAsync(buffer.AsMemory(0, read), stop);
            }

            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException or OperationCanceledException)
        {
            // One side reset (a copy SIGKILLed): the other side is reset too, as a real balancer does, instead of left
            // open for its client to find out only by its own timeout.
            Reset(to);
        }
    }

    /// <summary>Closes a side with a reset (linger 0), once: a side already closed stays closed.</summary>
    static void Reset(TcpClient side)
    {
        try
        {
            if (side.Client is { } socket)
                socket.LingerState = new LingerOption(true, 0);
            side.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        CutAll();
        _stop.Dispose();
    }
}
