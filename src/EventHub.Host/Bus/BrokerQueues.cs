using System.Collections.Concurrent;
using System.Diagnostics;
using EventHub.Composition;
using EventHub.Listeners;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace EventHub.Host.Bus;

/// <summary>The durable queues of the hub's own endpoints, recorded as MassTransit configures them.</summary>
internal sealed class HubQueueNames
{
    readonly ConcurrentDictionary<string, bool> _names = new();

    public void Add(string queue) => _names[queue] = true;

    public IEnumerable<string> All => _names.Keys.Order(StringComparer.Ordinal);
}

/// <summary>
/// Brings the broker's queues in line with the settings before MassTransit declares any (MassTransit would retry a
/// refused declaration forever): a changed delivery limit is rebuilt into place at start; a queue of the other type
/// stops the host with the fix, because moving every queue to another type is the operator's call, made with
/// <c>EventHub.Host migrate-queues</c>.
/// </summary>
internal static class BrokerQueues
{
    public const string Command = "migrate-queues";
    const string DryRun = "--dry-run";
    // Only for reaching the broker: a host started while the broker is down still starts (and answers 503 until it is
    // back), as it did before this check; the check is then skipped, with a warning.
    static readonly TimeSpan ReachLimit = TimeSpan.FromSeconds(10);

    public static bool IsCommand(string[] args) => args is [Command, ..];

    public static async Task CheckQueuesAsync(this WebApplication app)
    {
        if (app.Services.GetService<RabbitMqSettings>() is not { } settings)
            return;
        var logger = app.Services.GetRequiredService<ILogger<QueueRebuilder>>();
        if (!await CanReachAsync(app.Services, logger))
            return;

        var rebuilder = app.Services.GetRequiredService<QueueRebuilder>();
        foreach (var queue in await QueuesAsync(app.Services, logger, CancellationToken.None))
        {
            var wanted = QuorumQueues.ArgumentsFor(queue, settings);
            if (await rebuilder.InspectAsync(queue, wanted, CancellationToken.None) is not { NeedsRebuild: true } state)
                continue;
            if (state.Type != state.WantedType)
                throw Settings.Invalid("EventHub:RabbitMq:QuorumQueues", $"asks for {state.WantedType} queues but queue '{queue}' on the broker is {state.Type}: stop every copy, run `EventHub.Host {Command}` ({DryRun} shows the plan), then start again");
            if (state.Consumers > 0)
                throw Settings.Invalid("EventHub:RabbitMq:DeliveryLimit", $"does not match queue '{queue}' on the broker ({Brief(state.Difference)}), which {state.Consumers} other copies consume from: stop every copy, then start them again (the first to start rebuilds the queue, keeping its messages)");
            long kept;
            try
            {
                kept = await rebuilder.RebuildAsync(queue, wanted, CancellationToken.None);
            }
            catch (Exception e) when (e is RabbitMQClientException or OperationInterruptedException or InvalidOperationException)
            {
                throw Settings.Invalid("EventHub:RabbitMq:DeliveryLimit", $"differs from queue '{queue}' on the broker, and rebuilding the queue failed ({e.Message}): start again, the rebuild continues where it stopped");
            }

            logger.LogInformation("Queue {Queue} rebuilt with the arguments of the settings; {Kept} waiting messages kept", queue, kept);
        }
    }

    /// <summary><c>EventHub.Host migrate-queues [--dry-run]</c>: every hub queue to the type the settings ask for.</summary>
    public static async Task<int> MigrateQueuesAsync(this WebApplication app, string[] args)
    {
        if (args is not ([Command] or [Command, DryRun]))
        {
            await Console.Error.WriteLineAsync($"Usage: EventHub.Host {Command} [{DryRun}]");
            return 2;
        }

        var settings = app.Services.GetService<RabbitMqSettings>() ?? throw Settings.Invalid(BusModule.TransportKey, $"must be RabbitMq for {Command}");
        var rebuilder = app.Services.GetRequiredService<QueueRebuilder>();
        List<string> queues;
        try
        {
            queues = await QueuesAsync(app.Services, logger: null, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without the registry the listeners' queues would be left behind on the old type.
            await Console.Error.WriteLineAsync($"EventHub cannot migrate: the listener registry could not be read ({e.GetType().Name}: {e.Message}). Nothing was changed.");
            return 1;
        }

        var plan = new List<(QueueState State, Dictionary<string, object?> Wanted)>();
        foreach (var queue in queues)
        {
            var wanted = QuorumQueues.ArgumentsFor(queue, settings);
            QueueState? state;
            try
            {
                state = await rebuilder.InspectAsync(queue, wanted, CancellationToken.None);
            }
            catch (Exception e) when (e is BrokerUnreachableException or RabbitMQClientException or OperationInterruptedException)
            {
                await Console.Error.WriteLineAsync($"EventHub cannot migrate: the broker at {settings} did not answer ({e.Message}). Nothing was changed.");
                return 1;
            }

            if (state is null)
                continue;
            var change = !state.NeedsRebuild ? "nothing to do"
                : state.Type != state.WantedType ? $"{state.Type} -> {state.WantedType}"
                : Brief(state.Difference);
            Console.WriteLine($"{queue}: {state.Type}, {state.Messages} messages waiting: {change}{(state.Interrupted ? " (finishing an interrupted move)" : "")}");
            if (state.NeedsRebuild)
                plan.Add((state, wanted));
        }

        if (plan.Find(p => p.State.Consumers > 0).State is { } consumed)
        {
            await Console.Error.WriteLineAsync($"EventHub cannot migrate: queue '{consumed.Name}' has {consumed.Consumers} consumer(s); stop every copy of the hub, then run {Command} again. Nothing was changed.");
            return 1;
        }

        if (args is [_, DryRun])
        {
            Console.WriteLine($"Dry run: {plan.Count} queues would be rebuilt, and these bindings of releases before ADR 0031 removed: {string.Join(", ", SingleEventBindings.Describe())}.");
            return 0;
        }

        foreach (var (state, wanted) in plan)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var kept = await rebuilder.RebuildAsync(state.Name, wanted, CancellationToken.None);
                Console.WriteLine($"{state.Name}: now {state.WantedType}; {kept} messages kept, in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            catch (Exception e) when (e is RabbitMQClientException or OperationInterruptedException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"EventHub could not migrate queue '{state.Name}' ({e.Message}); run {Command} again: it continues where it stopped.");
                return 1;
            }
        }

        try
        {
            foreach (var line in await SingleEventBindings.RemoveAsync(app.Services.GetRequiredService<RabbitMqAdminConnection>(), CancellationToken.None))
                Console.WriteLine(line);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"EventHub cannot remove the single-event bindings of releases before ADR 0031: {e.Message}; stop every copy of the hub, then run {Command} again.");
            return 1;
        }
        catch (Exception e) when (e is RabbitMQClientException or OperationInterruptedException)
        {
            await Console.Error.WriteLineAsync($"EventHub could not remove the single-event bindings of releases before ADR 0031 ({e.Message}); run {Command} again.");
            return 1;
        }

        Console.WriteLine($"Done: {plan.Count} queues rebuilt. Start the hub with the new settings.");
        return 0;
    }

    static string Brief(string refusal) => refusal.Replace("PRECONDITION_FAILED - ", "", StringComparison.Ordinal);

    static async Task<bool> CanReachAsync(IServiceProvider services, ILogger logger)
    {
        using var limit = new CancellationTokenSource(ReachLimit);
        try
        {
            await using var channel = await services.GetRequiredService<RabbitMqAdminConnection>().OpenChannelAsync(limit.Token);
            return true;
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationCanceledException or TimeoutException)
        {
            logger.LogWarning("The broker's queues were not checked against the settings: the broker did not answer ({Error})", e.GetType().Name);
            return false;
        }
    }

    /// <summary>Every hub queue with its error queue; without a logger, a listener registry that cannot be read fails the caller.</summary>
    static async Task<List<string>> QueuesAsync(IServiceProvider services, ILogger? logger, CancellationToken cancellationToken)
    {
        // Building the bus (not starting it) runs BusModule's endpoint callback, which records the hub's queues.
        services.GetRequiredService<IBusControl>();
        var queues = services.GetRequiredService<HubQueueNames>().All.ToList();
        try
        {
            queues.AddRange(await ListenersModule.QueueNamesAsync(services, cancellationToken));
        }
        catch (Exception e) when (logger is not null && e is not OperationCanceledException)
        {
            // A first start has no registry yet; a database that is down is the database check's to report.
            logger.LogWarning("The listener queues were not checked against the settings: the registry could not be read ({Error})", e.GetType().Name);
        }

        return queues.SelectMany(queue => new[] { queue, queue + QuorumQueues.ErrorSuffix }).ToList();
    }
}
