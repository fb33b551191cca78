using EventHub.Composition;
using Microsoft.Extensions.Options;

namespace EventHub.Host.Bus;

/// <summary>
/// Where the broker is: one <c>amqp://</c> URI, or host, port, virtual host and credentials; for a cluster, the nodes to
/// try in turn (<c>EventHub__RabbitMq__Nodes__0=host:port</c>, ...).
/// </summary>
internal sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseSsl)
{
    /// <summary>Declare every durable queue as a quorum queue (replicated; for a RabbitMQ cluster).</summary>
    public bool QuorumQueues { get; init; }

    /// <summary>How often a quorum queue hands out one message before dead-lettering it to the queue's <c>_error</c> queue.</summary>
    public int DeliveryLimit { get; init; } = DefaultDeliveryLimit;

    /// <summary>Cluster nodes as <c>host:port</c>, tried in order when connecting and reconnecting; empty for one node.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The AMQP heartbeat the host asks for; a connection that hears nothing for about three of them is dropped.</summary>
    public int HeartbeatSeconds { get; init; } = DefaultHeartbeatSeconds;

    // Retries run in the consumer (docs/adr/0001), so the broker hands a message out again only when a copy died or lost
    // its connection while holding it. Ten such losses in a row means the message itself kills copies: park it.
    const int DefaultDeliveryLimit = 10;

    // RabbitMQ's default is 60 s. RabbitMQ.Client 7.2.2 can wedge a connection that the broker closes while the client
    // has many writes queued (its reader waits to send connection.close-ok into a write buffer nobody empties any more;
    // rabbitmq-dotnet-client#1930, fixed after 7.2.2): nothing tells MassTransit, nothing is consumed or confirmed, until
    // the missing heartbeats close it, three heartbeats later. 5 s bounds that to about 15 s (broker-restart fault test,
    // docs/adr/0011); below 5 s a busy host risks dropping healthy connections.
    const int DefaultHeartbeatSeconds = 5;

    const string Section = "EventHub:RabbitMq";

    /// <summary>Reads and validates the settings; a bad value throws an <see cref="OptionsValidationException"/> naming it.</summary>
    public static RabbitMqSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var quorumText = section["QuorumQueues"];
        var quorum = false;
        if (!string.IsNullOrWhiteSpace(quorumText) && !bool.TryParse(quorumText, out quorum))
            throw Settings.Invalid($"{Section}:QuorumQueues", $"'{quorumText}' is not valid: use true or false");

        var deliveryLimit = ReadNumber(section, "DeliveryLimit", DefaultDeliveryLimit, 1000, "a number");
        var heartbeat = ReadNumber(section, "HeartbeatSeconds", DefaultHeartbeatSeconds, 600, "a number of seconds");

        var nodes = ReadNodes(section);
        var uri = section["Uri"];
        if (!string.IsNullOrWhiteSpace(uri))
            return FromUri(uri) with { QuorumQueues = quorum, DeliveryLimit = deliveryLimit, Nodes = nodes, HeartbeatSeconds = heartbeat };

        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host) && nodes.Count > 0)
            host = nodes[0].Split(':')[0];
        if (string.IsNullOrWhiteSpace(host))
            throw Settings.Invalid($"{Section}:Host", "is required when EventHub__Transport=RabbitMq (or set EventHub__RabbitMq__Uri=amqp://user:password@host:5672/vhost, or EventHub__RabbitMq__Nodes__0=host:5672 for a cluster)");

        var portText = section["Port"];
        ushort port = 5672;
        if (!string.IsNullOrWhiteSpace(portText) && (!ushort.TryParse(portText, out port) || port == 0))
            throw Settings.Invalid($"{Section}:Port", $"'{portText}' is not valid: use a port number from 1 to 65535");

        var virtualHost = section["VirtualHost"];
        return new RabbitMqSettings(
            host.Trim(),
            port,
            string.IsNullOrWhiteSpace(virtualHost) ? "/" : virtualHost,
            section["Username"] is { Length: > 0 } user ? user : "guest",
            section["Password"] is { Length: > 0 } password ? password : "guest",
            UseSsl: false) { QuorumQueues = quorum, DeliveryLimit = deliveryLimit, Nodes = nodes, HeartbeatSeconds = heartbeat };
    }

    static int ReadNumber(IConfigurationSection section, string key, int fallback, int max, string what)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        return int.TryParse(text, out var value) && value >= 1 && value <= max
            ? value
            : throw Settings.Invalid($"{Section}:{key}", $"'{text}' is not valid: use {what} from 1 to {max}");
    }

    static List<string> ReadNodes(IConfigurationSection section)
    {
        var nodes = new List<string>();
        foreach (var child in section.GetSection("Nodes").GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
        {
            var text = child.Value?.Trim() ?? "";
            var parts = text.Split(':');
            var valid = parts.Length is 1 or 2
                && Uri.CheckHostName(parts[0]) != UriHostNameType.Unknown
                && (parts.Length == 1 || (ushort.TryParse(parts[1], out var port) && port > 0));
            if (!valid)
                throw Settings.Invalid($"{Section}:Nodes:{child.Key}", $"'{text}' is not valid: use host or host:port, e.g. rabbit-1:5672");
            nodes.Add(parts.Length == 1 ? $"{parts[0]}:5672" : text);
        }

        return nodes;
    }

    static RabbitMqSettings FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps") || string.IsNullOrEmpty(uri.Host))
            throw Settings.Invalid($"{Section}:Uri", "is not valid: use amqp://user:password@host:5672/vhost or amqps://...");

        var userInfo = uri.UserInfo.Split(':', 2);
        var useSsl = uri.Scheme == "amqps";
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqSettings(
            uri.Host,
            (ushort)(uri.IsDefaultPort || uri.Port <= 0 ? (useSsl ? 5671 : 5672) : uri.Port),
            path.Length == 0 ? "/" : path,
            userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest",
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest",
            useSsl);
    }

    /// <summary>For logs: never the password.</summary>
    public override string ToString() => Nodes.Count == 0
        ? $"{(UseSsl ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}"
        : $"{(UseSsl ? "amqps" : "amqp")}://{Username}@{string.Join(",", Nodes)}/{Uri.EscapeDataString(VirtualHost)}";
}
