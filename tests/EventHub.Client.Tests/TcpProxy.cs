using System.Net;
using System.Net.Sockets;

namespace EventHub.Client.Tests;

/// <summary>A TCP relay on 127.0.0.1 in front of the host, so a test can cut every connection through it (a network failure) while the host runs on.</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly Uri _target;
    readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
    readonly List<TaskCompletionSource> _frozen = [];
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public TcpProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Closes every connection made so far, with a reset, on both sides.</summary>
    public void CutAll()
    {
        lock (_connections)
        {
            foreach (var (client, upstream) in _connections)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                upstream.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                upstream.Dispose();
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
                var upstream = new TcpClient();
                try
                {
                    await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    upstream.Dispose();
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
