namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>An <c>organization.member.*</c> event (membership or a member's roles): <see cref="IAuth0ChangeEvent.UserId"/> and <see cref="IAuth0ChangeEvent.OrganizationId"/> are set.</summary>
public interface IAuth0OrganizationMemberChange : IAuth0OrganizationChange
{
}
