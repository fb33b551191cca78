namespace EventHub.TestSupport;

/// <summary>
/// A private RabbitMQ cluster on 127.0.0.1: several <see cref="RabbitMqNode"/>s (own names, ports and data), the second
/// and later joined to the first with <c>rabbitmqctl join_cluster</c>. The nodes share the Erlang cookie of the
/// <c>rabbitmq</c> user, which Debian's scripts run every node as.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    RabbitMqCluster(IReadOnlyList<RabbitMqNode> nodes) => Nodes = nodes;

    public IReadOnlyList<RabbitMqNode> Nodes { get; }

    /// <summary>The nodes as <c>host:port</c>, in order, for <c>EventHub__RabbitMq__Nodes__N</c>.</summary>
    public IReadOnlyList<string> Endpoints => [.. Nodes.Select(node => $"{node.Host}:{node.Port}")];

    public static async Task<RabbitMqCluster> StartAsync(int size = 3, string prefix = "eventhub-test-cluster")
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, size).Select(_ => RabbitMqNode.StartAsync(prefix)));
        var cluster = new RabbitMqCluster(nodes);
        try
        {
            foreach (var node in nodes.Skip(1))
            {
                foreach (string[] command in new[] { new[] { "stop_app" }, ["join_cluster", nodes[0].NodeName], ["start_app"] })
                {
                    var (code, output) = await node.CtlAsync(command, TimeSpan.FromSeconds(120));
                    if (code != 0)
                        throw new InvalidOperationException($"rabbitmqctl -n {node.NodeName} {string.Join(' ', command)} failed: {output}");
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of the cluster's running nodes, as the given node sees them.</summary>
    public static async Task<IReadOnlyList<string>> RunningNodesAsync(RabbitMqNode askedNode)
    {
        var (code, output) = await askedNode.CtlAsync(["cluster_status", "--formatter", "json"]);
        if (code != 0)
            throw new InvalidOperationException(output);
        var status = System.Text.Json.Nodes.JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        return [.. status["running_nodes"]!.AsArray().Select(node => node!.GetValue<string>())];
    }

    /// <summary>
    /// The nodes that the hub's bus connections (every connection but the host's <c>eventhub-admin</c> one, which may sit
    /// on another node) are connected to, as indexes into <see cref="Nodes"/>, asked of the given running node.
    /// </summary>
    public async Task<IReadOnlySet<int>> BusConnectionNodesAsync(RabbitMqNode askedNode)
    {
        var (code, output) = await askedNode.CtlAsync(["list_connections", "port", "client_properties", "--quiet", "--no-table-headers"]);
        if (code != 0)
            throw new InvalidOperationException(output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.Contains("eventhub-admin", StringComparison.Ordinal))
            .Select(line => line.Split('\t')[0])
            .Select(port => Nodes.ToList().FindIndex(node => node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port))
            .Where(index => index >= 0)
            .ToHashSet();
    }

    public async ValueTask DisposeAsync()
    {
        // Later nodes first: a cluster whose first node stops before the others waits for it when they stop.
        foreach (var node in Nodes.Reverse())
            await node.DisposeAsync();
    }
}
