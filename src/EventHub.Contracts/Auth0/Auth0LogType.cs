namespace EventHub.Contracts.Auth0;

/// <summary>
/// One known Auth0 log type code (<c>data.type</c>): its filter group, its title, the event name the hub
/// publishes it under and the sealed record that carries it. Every known code is in <see cref="Auth0LogTypes.ByCode"/>,
/// generated from <c>Auth0LogTypes.tsv</c>.
/// </summary>
public sealed class Auth0LogType
{
    readonly Auth0LogEntryFactory factory;

    /// <summary>Describes one log type code.</summary>
    /// <param name="code">The Auth0 log type code, e.g. <c>f</c>.</param>
    /// <param name="group">The Auth0 filter group of the code, e.g. <c>auth.login.fail</c>.</param>
    /// <param name="title">A short human-readable name, e.g. <c>Failed Login</c>.</param>
    /// <param name="contractType">The sealed record, deriving from <see cref="Auth0LogEntry"/>, that carries this code.</param>
    /// <param name="factory">Builds a <paramref name="contractType"/> instance from the values of an entry.</param>
    /// <exception cref="ArgumentException">A text is empty, or <paramref name="contractType"/> does not derive from <see cref="Auth0LogEntry"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public Auth0LogType(string code, string group, string title, Type contractType, Auth0LogEntryFactory factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(contractType);
        ArgumentNullException.ThrowIfNull(factory);
        if (!contractType.IsSubclassOf(typeof(Auth0LogEntry)))
            throw new ArgumentException($"{contractType} does not derive from {nameof(Auth0LogEntry)}.", nameof(contractType));

        Code = code;
        Group = group;
        Title = title;
        EventName = "auth0." + group + "." + code;
        ContractType = contractType;
        this.factory = factory;
    }

    /// <summary>The Auth0 log type code (<c>data.type</c>), e.g. <c>f</c>.</summary>
    public string Code { get; }

    /// <summary>The Auth0 log-stream filter group of the code, e.g. <c>auth.login.fail</c>.</summary>
    public string Group { get; }

    /// <summary>A short human-readable name of the event, e.g. <c>Failed Login</c>.</summary>
    public string Title { get; }

    /// <summary>The hub event name (and routing key): <c>auth0.&lt;group&gt;.&lt;code&gt;</c>, e.g. <c>auth0.auth.login.fail.f</c>.</summary>
    public string EventName { get; }

    /// <summary>The sealed record, deriving from <see cref="Auth0LogEntry"/>, that carries this code.</summary>
    public Type ContractType { get; }

    /// <summary>
    /// Builds this code's record (<see cref="ContractType"/>) from <paramref name="values"/> in one allocation, with
    /// <see cref="IHubEvent.Name"/> = <see cref="EventName"/>, <see cref="IAuth0LogEvent.Type"/> = <see cref="Code"/> and
    /// <see cref="IAuth0LogEvent.Group"/> = <see cref="Group"/> whatever the values say; every other property is theirs.
    /// </summary>
    /// <param name="values">The entry's values; they are not changed.</param>
    /// <returns>A new instance of <see cref="ContractType"/>.</returns>
    /// <exception cref="InvalidOperationException">The factory did not build a <see cref="ContractType"/>.</exception>
    public Auth0LogEntry Create(in Auth0LogEntryValues values)
    {
        var named = values;
        named.Name = EventName;
        named.Type = Code;
        named.Group = Group;
        var entry = factory(in named);
        return entry is not null && entry.GetType() == ContractType
            ? entry
            : throw new InvalidOperationException($"The factory of Auth0 log type '{Code}' did not build a {ContractType.Name}.");
    }

    /// <summary>Builds this code's record holding the properties of <paramref name="common"/>, as <see cref="Create(in Auth0LogEntryValues)"/> does.</summary>
    /// <param name="common">The entry whose properties are copied; it is not changed.</param>
    /// <returns>A new instance of <see cref="ContractType"/>.</returns>
    public Auth0LogEntry Create(Auth0LogEntry common)
    {
        ArgumentNullException.ThrowIfNull(common);
        return Create(Auth0LogEntryValues.Of(common));
    }

    /// <inheritdoc />
    public override string ToString() => EventName;
}
