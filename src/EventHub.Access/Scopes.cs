namespace EventHub.Access;

/// <summary>What a key may do (<c>EventHub__Keys__&lt;name&gt;__Scopes__0..</c>). <see cref="Admin"/> implies every other scope and every listener.</summary>
public static class Scopes
{
    public const string Emit = "emit";
    public const string EventsRead = "events:read";
    public const string ListenersManage = "listeners:manage";
    public const string Replay = "replay";
    public const string Auth0Read = "auth0:read";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Emit, EventsRead, ListenersManage, Replay, Auth0Read, Admin];
}
