using RabbitMQ.Client;

namespace EventHub.Host.Bus;

/// <summary>
/// The host's own small connection for looking at and removing queues (depth, consumers, deletion), apart from
/// MassTransit's: a short-lived channel per question, opened again after the broker went away.
/// </summary>
internal sealed class RabbitMqAdminConnection(RabbitMqSettings settings) : IAsyncDisposable
{
    readonly SemaphoreSlim _lock = new(1, 1);
    IConnection? _connection;

    public async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken, bool publisherConfirms = false)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                    await _connection.DisposeAsync();
                var factory = new ConnectionFactory
                {
                    HostName = settings.Host,
                    Port = settings.Port,
                    VirtualHost = settings.VirtualHost,
                    UserName = settings.Username,
                    Password = settings.Password,
                    ClientProvidedName = "eventhub-admin",
                    RequestedHeartbeat = TimeSpan.FromSeconds(settings.HeartbeatSeconds),
                };
                if (settings.UseSsl)
                    factory.Ssl = new SslOption { Enabled = true, ServerName = settings.Host };
                _connection = settings.Nodes.Count == 0
                    ? await factory.CreateConnectionAsync(cancellationToken)
                    : await factory.CreateConnectionAsync(settings.Nodes.Select(node => AmqpTcpEndpoint.Parse(node)).ToList(), cancellationToken);
            }

            return await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirms, publisherConfirms), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
