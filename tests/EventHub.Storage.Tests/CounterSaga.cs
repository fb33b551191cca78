using EventHub.Storage.Sagas;

namespace EventHub.Storage.Tests;

public sealed class CounterSaga : IExpiringSaga
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public int Count { get; set; }

    public List<string> Seen { get; set; } = [];

    public DateTimeOffset? ExpiresAt { get; set; }
}
