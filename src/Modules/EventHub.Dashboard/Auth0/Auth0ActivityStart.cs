using Microsoft.Extensions.Hosting;

namespace EventHub.Dashboard.Auth0;

/// <summary>
/// Creates <see cref="Auth0Activity"/> when the host starts: a meter listener hears only what is measured after it
/// starts listening, so one made at the first visit of the Auth0 page would miss every entry before it.
/// </summary>
internal sealed class Auth0ActivityStart(Auth0Activity activity) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(activity);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
