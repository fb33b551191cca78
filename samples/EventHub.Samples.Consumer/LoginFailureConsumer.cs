using EventHub.Contracts.Auth0;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventHub.Samples.Consumer;

/// <summary>
/// Every failed login of the tenant (filter group <c>auth.login.fail</c>: <c>f</c>, <c>fp</c>, <c>fu</c>, ...), whatever
/// its code. Delivery is at least once: a real handler de-duplicates on <see cref="EventHub.Contracts.IHubEvent.EventId"/>.
/// </summary>
public sealed class LoginFailureConsumer(ILogger<LoginFailureConsumer> logger) : IConsumer<IAuth0LoginFailure>
{
    public Task Consume(ConsumeContext<IAuth0LoginFailure> context)
    {
        var failure = context.Message;
        // Ids and codes only: the user's name and IP address stay out of the logs.
        logger.LogInformation("Login failure {Code} ({Name}) {EventId} of connection {Connection}", failure.Type, failure.Name, failure.EventId, failure.Connection);
        return Task.CompletedTask;
    }
}
