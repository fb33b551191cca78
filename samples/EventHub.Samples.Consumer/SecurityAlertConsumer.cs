using EventHub.Contracts.Security;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventHub.Samples.Consumer;

/// <summary>
/// The hub's security alerts: brute force by its own record, and every alert (the Sigma rules' too) by the interface
/// they share. An alert's <see cref="EventHub.Contracts.IHubEvent.EventId"/> is derived from what it is about, so a
/// repeated alert is recognisably the same one.
/// </summary>
public sealed class SecurityAlertConsumer(ILogger<SecurityAlertConsumer> logger) : IConsumer<BruteForceDetected>, IConsumer<ISecurityAlert>
{
    public Task Consume(ConsumeContext<BruteForceDetected> context)
    {
        var alert = context.Message;
        // Counts and ids only: the account's name stays out of the logs.
        logger.LogInformation("Brute force {EventId}: {Count} failed logins between {First:O} and {Last:O}", alert.EventId, alert.Count, alert.First, alert.Last);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ISecurityAlert> context)
    {
        var alert = context.Message;
        logger.LogInformation("Security alert {Name} {EventId} over {Entries} Auth0 entries", alert.Name, alert.EventId, alert.LogIds.Count);
        return Task.CompletedTask;
    }
}
