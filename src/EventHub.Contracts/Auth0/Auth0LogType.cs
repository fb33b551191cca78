namespace EventHub.Contracts.Auth0;

/// <summary>
/// One known Auth0 log type code (<c>data.type</c>): its filter group, its title, the event name the hub
/// publishes it under and the sealed record that carries it. Every known code is in <see cref="Auth0LogTypes.ByCode"/>,
/// generated from <c>Auth0LogTypes.tsv</c>.
/// </summary>
public sealed class Auth0LogType
{
    readonly Func<Auth0LogEntry, Auth0LogEntry> factory;

    /// <summary>Describes one log type code.</summary>
    /// <param name="code">The Auth0 log type code, e.g. <c>f</c>.</param>
    /// <param name="group">The Auth0 filter group of the code, e.g. <c>auth.login.fail</c>.</param>
    /// <param name="title">A short human-readable name, e.g. <c>Failed Login</c>.</param>
    /// <param name="contractType">The sealed record, deriving from <see cref="Auth0LogEntry"/>, that carries this code.</param>
    /// <param name="factory">
    /// Copies the common fields of an entry into a new <paramref name="contractType"/> instance
    /// (normally the record's copy constructor, e.g. <c>static e =&gt; new Auth0FailedLogin(e)</c>).
    /// </param>
    /// <exception cref="ArgumentException">A text is empty, or <paramref name="contractType"/> does not derive from <see cref="Auth0LogEntry"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public Auth0LogType(string code, string group, string title, Type contractType, Func<Auth0LogEntry, Auth0LogEntry> factory)
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
    /// Builds this code's record (<see cref="ContractType"/>) from <paramref name="common"/>, a prototype holding the
    /// common fields. The result always has <see cref="IHubEvent.Name"/> = <see cref="EventName"/>,
    /// <see cref="IAuth0LogEvent.Type"/> = <see cref="Code"/> and <see cref="IAuth0LogEvent.Group"/> = <see cref="Group"/>:
    /// when the prototype already holds those values (as the Auth0 mapper sets them) the copy is returned as is,
    /// otherwise one more copy sets them. Every other field is kept from the prototype.
    /// </summary>
    /// <param name="common">The entry whose common fields are copied; it is not changed.</param>
    /// <returns>A new instance of <see cref="ContractType"/>.</returns>
    /// <exception cref="InvalidOperationException">The factory did not build a <see cref="ContractType"/>.</exception>
    public Auth0LogEntry Create(Auth0LogEntry common)
    {
        ArgumentNullException.ThrowIfNull(common);
        var entry = factory(common);
        if (entry is null || entry.GetType() != ContractType)
            throw new InvalidOperationException($"The factory of Auth0 log type '{Code}' did not build a {ContractType.Name}.");

        return string.Equals(entry.Name, EventName, StringComparison.Ordinal)
            && string.Equals(entry.Type, Code, StringComparison.Ordinal)
            && string.Equals(entry.Group, Group, StringComparison.Ordinal)
            ? entry
            : entry with { Name = EventName, Type = Code, Group = Group };
    }

    /// <inheritdoc />
    public override string ToString() => EventName;
}
