using EventHub.Contracts;

namespace EventHub.Access;

/// <summary>
/// One configured key: its name (the source of what it emits), its scopes, and the topic patterns bounding the names
/// it may emit and read (none: no bound beyond the scopes). The decisions live here so every endpoint makes the same one.
/// </summary>
public sealed class ApiKey(string name, IReadOnlySet<string> scopes, IReadOnlyList<TopicPattern> emit, IReadOnlyList<TopicPattern> read)
{
    /// <summary>Events whose names start with these carry Auth0 users' data or the hub's alerts about them: reading them needs <see cref="Scopes.Auth0Read"/>.</summary>
    static readonly TopicPattern[] PersonalTopics = [TopicPattern.Parse("auth0.#")!, TopicPattern.Parse("security.#")!];

    public string Name { get; } = name;

    public IReadOnlySet<string> Scopes { get; } = scopes;

    public IReadOnlyList<TopicPattern> Emit { get; } = emit;

    public IReadOnlyList<TopicPattern> Read { get; } = read;

    public bool IsAdmin => Scopes.Contains(Access.Scopes.Admin);

    public bool Has(string scope) => IsAdmin || Scopes.Contains(scope);

    /// <summary>Whether this key may emit an event of this name (the scope is checked apart).</summary>
    public bool MayEmit(string eventName) => IsAdmin || Emit.Count == 0 || Emit.Any(p => p.Matches(eventName));

    /// <summary>Whether this key may see an event of this name (the scope is checked apart).</summary>
    public bool MayRead(string eventName)
    {
        if (IsAdmin)
            return true;
        if (!Has(Access.Scopes.Auth0Read) && PersonalTopics.Any(p => p.Matches(eventName)))
            return false;
        return Read.Count == 0 || Read.Any(p => p.Matches(eventName));
    }

    /// <summary>
    /// Why this key may not listen to <paramref name="pattern"/> (the scope involved and the reason), or null when it
    /// may: every name the pattern can match must be one the key may read (<see cref="MayRead"/>), so <c>#</c> needs
    /// <c>auth0:read</c> and no read bound.
    /// </summary>
    public (string Scope, string Reason)? WhyNotListen(TopicPattern pattern)
    {
        if (IsAdmin)
            return null;
        if (!Has(Access.Scopes.Auth0Read) && PersonalTopics.FirstOrDefault(pattern.Overlaps) is { } personal)
            return (Access.Scopes.Auth0Read, $"can match {personal.Text} events, which need the '{Access.Scopes.Auth0Read}' scope");
        if (Read.Count > 0 && !Read.Any(r => r.Covers(pattern)))
            return (Access.Scopes.EventsRead, $"is outside what this key may read ({string.Join(", ", Read.Select(r => r.Text))}, EventHub__Keys__{Name}__Read__N)");
        return null;
    }
}
