using EventHub.Contracts;

namespace EventHub.Dashboard.Live;

/// <summary>What the person watching asked for: a name pattern (RabbitMQ topic semantics) and/or an exact source.</summary>
internal sealed record LiveFilter(TopicPattern? Name, string? Source)
{
    public static readonly LiveFilter All = new(null, null);

    public bool Matches(LiveEvent e) => (Name is null || Name.Matches(e.Name)) && (Source is null || Source == e.Source);
}
