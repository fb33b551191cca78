using System.Net;
using System.Net.Sockets;

namespace EventHub.Client.Tests;

/// <summary>A TCP relay on 127.0.0.1 in front of the host, so a test can cut every connection through it (a network failure) while the host runs on.</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly Uri _target;
    readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
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

                lock (_connections)
                    _connections.Add((client, upstream));
                _ = PumpAsync(client, upstream);
                _ = PumpAsync(upstream, client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
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
