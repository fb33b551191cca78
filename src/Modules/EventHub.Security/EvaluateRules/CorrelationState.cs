using EventHub.Security.Detection;
using EventHub.Storage.Sagas;

namespace EventHub.Security.EvaluateRules;

/// <summary>
/// One group of one correlation rule (say, one IP for a rule grouped by <c>data.ip</c>), stored in the saga table so
/// every host copy counts into the same instance; the version check settles two copies saving at once.
/// </summary>
internal sealed class CorrelationState : IExpiringSaga
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string RuleId { get; set; } = "";

    public Dictionary<string, string> Group { get; set; } = [];

    public Burst Burst { get; set; } = new();
}
