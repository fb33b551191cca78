using EventHub.Client;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="EventHubClient"/> as a typed HttpClient.</summary>
public static class EventHubClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EventHubClient"/> as a typed client of IHttpClientFactory, with a resilience handler (total timeout,
    /// retries with exponential backoff and jitter) configured from <see cref="EventHubClientOptions"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets BaseAddress, ApiKey and the rest; validated when the client is first created.</param>
    /// <returns>The HttpClient builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddEventHubClient(this IServiceCollection services, Action<EventHubClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EventHubClientOptions>().Configure(configure);
        var builder = services.AddHttpClient<EventHubClient>((_, http) => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler("eventhub", (pipeline, context) =>
            EventHubClient.ConfigureResilience(pipeline, context.ServiceProvider.GetRequiredService<IOptions<EventHubClientOptions>>().Value));
        return builder;
    }
}
