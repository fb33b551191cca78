namespace EventHub.Listeners.Delivery;

internal static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Retrying = "failed-retrying";
    public const string Dead = "dead";
    public const string Failed = "failed";

    public static readonly string[] All = [Pending, Succeeded, Retrying, Dead, Failed];
}
