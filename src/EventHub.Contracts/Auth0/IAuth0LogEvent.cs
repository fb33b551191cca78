namespace EventHub.Contracts.Auth0;

/// <summary>
/// Any Auth0 tenant log entry. Subscribe to this to receive every entry; subscribe to a filter-group
/// interface (e.g. <see cref="IAuth0LoginFailure"/>) or one code's record (e.g. <see cref="Auth0FailedLogin"/>) for less.
/// The entry's full <c>data</c> object stays available, byte for byte, in <see cref="IHubEvent.Payload"/>.
/// </summary>
public interface IAuth0LogEvent : IHubEvent
{
    /// <summary>The Auth0 log type code (<c>data.type</c>), e.g. <c>f</c>, <c>s</c>, <c>pwd_leak</c>.</summary>
    string Type { get; }

    /// <summary>The Auth0 filter group of <see cref="Type"/>, e.g. <c>auth.login.fail</c>; <c>other</c> for unknown codes.</summary>
    string Group { get; }

    /// <summary><c>data.description</c>.</summary>
    string? Description { get; }

    /// <summary><c>data.tenant_name</c>.</summary>
    string? Tenant { get; }

    /// <summary><c>data.client_id</c>.</summary>
    string? ClientId { get; }

    /// <summary><c>data.client_name</c>.</summary>
    string? ClientName { get; }

    /// <summary><c>data.connection</c>.</summary>
    string? Connection { get; }

    /// <summary><c>data.connection_id</c>.</summary>
    string? ConnectionId { get; }

    /// <summary><c>data.user_id</c>.</summary>
    string? UserId { get; }

    /// <summary><c>data.user_name</c>. Personal data: do not log it.</summary>
    string? UserName { get; }

    /// <summary><c>data.ip</c>. Personal data: do not log it.</summary>
    string? Ip { get; }

    /// <summary><c>data.user_agent</c>.</summary>
    string? UserAgent { get; }

    /// <summary><c>data.hostname</c>.</summary>
    string? Hostname { get; }

    /// <summary><c>data.strategy</c>.</summary>
    string? Strategy { get; }

    /// <summary><c>data.strategy_type</c>.</summary>
    string? StrategyType { get; }

    /// <summary><c>data.audience</c>.</summary>
    string? Audience { get; }

    /// <summary><c>data.scope</c> as a list, whether Auth0 sent a space-separated string or an array.</summary>
    IReadOnlyList<string> Scope { get; }

    /// <summary><c>data.isMobile</c> (also accepted as the strings "true"/"false").</summary>
    bool? IsMobile { get; }

    /// <summary><c>data.organization_id</c>.</summary>
    string? OrganizationId { get; }

    /// <summary><c>data.organization_name</c>.</summary>
    string? OrganizationName { get; }
}
