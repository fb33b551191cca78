using MassTransit;

namespace EventHub.Storage.Sagas;

/// <summary>A saga whose stored instance may be deleted once <see cref="ExpiresAt"/> has passed (wall-clock time).</summary>
public interface IExpiringSaga : ISagaVersion
{
    DateTimeOffset? ExpiresAt { get; }
}
