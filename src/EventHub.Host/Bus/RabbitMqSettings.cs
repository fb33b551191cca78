using EventHub.Storage;
using Microsoft.Extensions.Options;

namespace EventHub.Host.Bus;

/// <summary>Where the broker is: one <c>amqp://</c> URI, or host, port, virtual host and credentials.</summary>
internal sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseSsl)
{
    /// <summary>Declare listener queues as quorum queues (replicated; for a RabbitMQ cluster).</summary>
    public bool QuorumQueues { get; init; }

    const string Section = "EventHub:RabbitMq";

    /// <summary>Reads and validates the settings; a bad value throws an <see cref="OptionsValidationException"/> naming it.</summary>
    public static RabbitMqSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var quorumText = section["QuorumQueues"];
        var quorum = false;
        if (!string.IsNullOrWhiteSpace(quorumText) && !bool.TryParse(quorumText, out quorum))
            throw Settings.Invalid($"{Section}:QuorumQueues", $"'{quorumText}' is not valid: use true or false");

        var uri = section["Uri"];
        if (!string.IsNullOrWhiteSpace(uri))
            return FromUri(uri) with { QuorumQueues = quorum };

        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host))
            throw Settings.Invalid($"{Section}:Host", "is required when EventHub__Transport=RabbitMq (or set EventHub__RabbitMq__Uri=amqp://user:password@host:5672/vhost)");

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
            UseSsl: false) { QuorumQueues = quorum };
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
    public override string ToString() => $"{(UseSsl ? "amqps" : "amqp")}://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
