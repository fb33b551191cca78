using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace EventHub.Contracts.Auth0.EventStreams;

// The Event Streams types Auth0 documents (its Management API event stream schema, 2026), one record each, with
// the table below as the single list: a type added here is typed everywhere, a type not here still arrives as
// Auth0UnknownChangeEvent. Kept in one file, like the generated log type table, because the records are one-liners.

/// <summary><c>user.created</c>: A user was created (signup, Management API, import, SCIM or just-in-time provisioning). Named <c>auth0.events.user.created</c>.</summary>
public sealed record Auth0UserCreated : Auth0Change, IAuth0UserChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0UserCreated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0UserCreated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>user.updated</c>: A user was updated. Named <c>auth0.events.user.updated</c>.</summary>
public sealed record Auth0UserUpdated : Auth0Change, IAuth0UserChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0UserUpdated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0UserUpdated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>user.deleted</c>: A user was deleted. Named <c>auth0.events.user.deleted</c>.</summary>
public sealed record Auth0UserDeleted : Auth0Change, IAuth0UserChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0UserDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0UserDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.created</c>: An organization was created. Named <c>auth0.events.organization.created</c>.</summary>
public sealed record Auth0OrganizationCreated : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationCreated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationCreated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.updated</c>: An organization was updated. Named <c>auth0.events.organization.updated</c>.</summary>
public sealed record Auth0OrganizationUpdated : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationUpdated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationUpdated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.deleted</c>: An organization was deleted. Named <c>auth0.events.organization.deleted</c>.</summary>
public sealed record Auth0OrganizationDeleted : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.member.added</c>: A user became a member of an organization. Named <c>auth0.events.organization.member.added</c>.</summary>
public sealed record Auth0OrganizationMemberAdded : Auth0Change, IAuth0OrganizationMemberChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationMemberAdded()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationMemberAdded(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.member.deleted</c>: A member was removed from an organization. Named <c>auth0.events.organization.member.deleted</c>.</summary>
public sealed record Auth0OrganizationMemberDeleted : Auth0Change, IAuth0OrganizationMemberChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationMemberDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationMemberDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.member.role.assigned</c>: A role was assigned to a member of an organization. Named <c>auth0.events.organization.member.role.assigned</c>.</summary>
public sealed record Auth0OrganizationMemberRoleAssigned : Auth0Change, IAuth0OrganizationMemberChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationMemberRoleAssigned()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationMemberRoleAssigned(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.member.role.deleted</c>: A role was removed from a member of an organization. Named <c>auth0.events.organization.member.role.deleted</c>.</summary>
public sealed record Auth0OrganizationMemberRoleDeleted : Auth0Change, IAuth0OrganizationMemberChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationMemberRoleDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationMemberRoleDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.connection.added</c>: A connection was enabled for an organization. Named <c>auth0.events.organization.connection.added</c>.</summary>
public sealed record Auth0OrganizationConnectionAdded : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationConnectionAdded()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationConnectionAdded(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.connection.updated</c>: An organization's connection settings changed. Named <c>auth0.events.organization.connection.updated</c>.</summary>
public sealed record Auth0OrganizationConnectionUpdated : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationConnectionUpdated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationConnectionUpdated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.connection.removed</c>: A connection was disabled for an organization. Named <c>auth0.events.organization.connection.removed</c>.</summary>
public sealed record Auth0OrganizationConnectionRemoved : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationConnectionRemoved()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationConnectionRemoved(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.group.role.assigned</c>: A role was assigned to a group within an organization. Named <c>auth0.events.organization.group.role.assigned</c>.</summary>
public sealed record Auth0OrganizationGroupRoleAssigned : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationGroupRoleAssigned()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationGroupRoleAssigned(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>organization.group.role.deleted</c>: A role was removed from a group within an organization. Named <c>auth0.events.organization.group.role.deleted</c>.</summary>
public sealed record Auth0OrganizationGroupRoleDeleted : Auth0Change, IAuth0OrganizationChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0OrganizationGroupRoleDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0OrganizationGroupRoleDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.created</c>: A group was created. Named <c>auth0.events.group.created</c>.</summary>
public sealed record Auth0GroupCreated : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupCreated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupCreated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.updated</c>: A group was updated. Named <c>auth0.events.group.updated</c>.</summary>
public sealed record Auth0GroupUpdated : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupUpdated()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupUpdated(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.deleted</c>: A group was deleted. Named <c>auth0.events.group.deleted</c>.</summary>
public sealed record Auth0GroupDeleted : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.member.added</c>: A member was added to a group. Named <c>auth0.events.group.member.added</c>.</summary>
public sealed record Auth0GroupMemberAdded : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupMemberAdded()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupMemberAdded(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.member.deleted</c>: A member was removed from a group. Named <c>auth0.events.group.member.deleted</c>.</summary>
public sealed record Auth0GroupMemberDeleted : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupMemberDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupMemberDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.role.assigned</c>: A role was assigned to a group. Named <c>auth0.events.group.role.assigned</c>.</summary>
public sealed record Auth0GroupRoleAssigned : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupRoleAssigned()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupRoleAssigned(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary><c>group.role.deleted</c>: A role was removed from a group. Named <c>auth0.events.group.role.deleted</c>.</summary>
public sealed record Auth0GroupRoleDeleted : Auth0Change, IAuth0GroupChange
{
    /// <summary>Creates an empty event.</summary>
    public Auth0GroupRoleDeleted()
    {
    }

    /// <summary>Copies the fields of <paramref name="change"/>.</summary>
    public Auth0GroupRoleDeleted(Auth0Change change)
        : base(change)
    {
    }
}

/// <summary>The Auth0 Event Streams types the hub knows, each with its record.</summary>
public static class Auth0ChangeTypes
{
    static readonly FrozenDictionary<string, Func<Auth0Change, Auth0Change>> ByType = new Dictionary<string, Func<Auth0Change, Auth0Change>>(StringComparer.Ordinal)
    {
        ["user.created"] = change => new Auth0UserCreated(change),
        ["user.updated"] = change => new Auth0UserUpdated(change),
        ["user.deleted"] = change => new Auth0UserDeleted(change),
        ["organization.created"] = change => new Auth0OrganizationCreated(change),
        ["organization.updated"] = change => new Auth0OrganizationUpdated(change),
        ["organization.deleted"] = change => new Auth0OrganizationDeleted(change),
        ["organization.member.added"] = change => new Auth0OrganizationMemberAdded(change),
        ["organization.member.deleted"] = change => new Auth0OrganizationMemberDeleted(change),
        ["organization.member.role.assigned"] = change => new Auth0OrganizationMemberRoleAssigned(change),
        ["organization.member.role.deleted"] = change => new Auth0OrganizationMemberRoleDeleted(change),
        ["organization.connection.added"] = change => new Auth0OrganizationConnectionAdded(change),
        ["organization.connection.updated"] = change => new Auth0OrganizationConnectionUpdated(change),
        ["organization.connection.removed"] = change => new Auth0OrganizationConnectionRemoved(change),
        ["organization.group.role.assigned"] = change => new Auth0OrganizationGroupRoleAssigned(change),
        ["organization.group.role.deleted"] = change => new Auth0OrganizationGroupRoleDeleted(change),
        ["group.created"] = change => new Auth0GroupCreated(change),
        ["group.updated"] = change => new Auth0GroupUpdated(change),
        ["group.deleted"] = change => new Auth0GroupDeleted(change),
        ["group.member.added"] = change => new Auth0GroupMemberAdded(change),
        ["group.member.deleted"] = change => new Auth0GroupMemberDeleted(change),
        ["group.role.assigned"] = change => new Auth0GroupRoleAssigned(change),
        ["group.role.deleted"] = change => new Auth0GroupRoleDeleted(change),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every known CloudEvents <c>type</c>, e.g. <c>user.created</c>.</summary>
    public static IEnumerable<string> Known => ByType.Keys;

    /// <summary>The record of <paramref name="type"/>, made from the common fields of <paramref name="change"/>; false for an unknown type.</summary>
    public static bool TryCreate(string type, Auth0Change change, [NotNullWhen(true)] out Auth0Change? typed)
    {
        if (ByType.TryGetValue(type, out var create))
        {
            typed = create(change);
            return true;
        }

        typed = null;
        return false;
    }
}
