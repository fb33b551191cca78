namespace EventHub.LoadTest;

internal sealed record LoadTestOptions(string Profile, Uri? Hub, Uri? Amqp, string? Auth0Token, string? ApiKey, bool Quick = false, bool IdleOnly = false)
{
    /// <summary>A phase's length: a third of it with <c>--quick</c>, which checks a change in under two minutes.</summary>
    public TimeSpan Phase(int seconds) => TimeSpan.FromSeconds(Quick ? Math.Max(3, seconds / 3) : seconds);

    public static LoadTestOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var profile = Value("--profile") ?? "production";
        if (profile is not ("production" or "rabbitmq"))
            throw new ArgumentException("--profile must be production (RabbitMQ + PostgreSQL) or rabbitmq (RabbitMQ + SQLite)");
        var hub = Value("--hub") is { } h ? new Uri(h) : null;
        var amqp = Value("--amqp") is { } a ? new Uri(a) : null;
        if (hub is not null && (amqp is null || Value("--auth0-token") is null || Value("--api-key") is null))
            throw new ArgumentException("--hub needs --amqp, --auth0-token and --api-key too");
        return new LoadTestOptions(profile, hub, amqp, Value("--auth0-token"), Value("--api-key"), args.Contains("--quick"), args.Contains("--idle"));
    }
}
