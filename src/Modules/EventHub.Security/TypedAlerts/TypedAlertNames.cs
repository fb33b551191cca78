namespace EventHub.Security.TypedAlerts;

/// <summary>The typed alerts a built-in correlation may name with <c>alert:</c>.</summary>
internal static class TypedAlertNames
{
    public static readonly IReadOnlyList<TypedAlert> All = [new BruteForceAlert(), new CredentialStuffingAlert(), new BreachedPasswordAlert()];

    public static TypedAlert? Find(string name) => All.FirstOrDefault(a => a.Name == name);
}
