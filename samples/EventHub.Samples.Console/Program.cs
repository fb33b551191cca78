// Emits three orders and handles them with a typed listener, then shows the transactions and deregisters.
// Run the hub first (dotnet run --project src/EventHub.Host), then: dotnet run --project samples/EventHub.Samples.Console
// EVENTHUB_URL and EVENTHUB_KEY override http://127.0.0.1:5080 and dev-key.
using EventHub.Client;

var address = new Uri(Environment.GetEnvironmentVariable("EVENTHUB_URL") ?? "http://127.0.0.1:5080");
var key = Environment.GetEnvironmentVariable("EVENTHUB_KEY") ?? "dev-key";
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var hub = new EventHubClient(new EventHubClientOptions { BaseAddress = address, ApiKey = key });
var handled = 0;
var allHandled = new TaskCompletionSource();

// Registers (or reuses) the pull listener "order.*" of platform "samples", and opens its stream.
await using var orders = await hub.OnAsync<Order>("order.*", async (evt, ct) =>
{
    Console.WriteLine($"handling {evt.Name} {evt.Id}: order {evt.Data.Number} for {evt.Data.Customer} (attempt {evt.Attempt})");
    await Task.Yield();
    if (Interlocked.Increment(ref handled) == 3)
        allHandled.TrySetResult();
    return new { shipped = true, order = evt.Data.Number }; // stored as the transaction's output
}, new ListenOptions { Platform = "samples", MaxConcurrency = 2 }, stop.Token);

var ids = await hub.EmitAsync(
    [new EmitEvent("order.placed", new Order(1, "ada")), new EmitEvent("order.placed", new Order(2, "grace")), new EmitEvent("order.paid", new Order(1, "ada"))],
    stop.Token);
Console.WriteLine($"emitted {string.Join(", ", ids)}");

await allHandled.Task.WaitAsync(stop.Token);
// The last acknowledgements may still be on their way: wait until the hub has recorded all three.
while (await hub.GetTransactionsAsync(orders.ListenerId, "succeeded", stop.Token).CountAsync(stop.Token) < ids.Count)
    await Task.Delay(100, stop.Token);
await foreach (var transaction in hub.GetTransactionsAsync(orders.ListenerId, cancellationToken: stop.Token))
    Console.WriteLine($"transaction {transaction.EventId}: {transaction.State}, output {transaction.Output}");

await orders.DisposeAsync();
await hub.OffAsync(orders.Key, stop.Token);
Console.WriteLine("deregistered");

internal sealed record Order(int Number, string Customer);
