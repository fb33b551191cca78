using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventHub.Publishing;

public static class PublishingServices
{
    /// <summary>Registers the confirmed-publish path once, whichever of the host and the modules asks first.</summary>
    public static IServiceCollection AddConfirmedPublishing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PublishFailures>();
        services.TryAddSingleton<IHubEventWire, BusPublishWire>();
        services.TryAddSingleton<ConsumerLag>();
        services.TryAddSingleton(PacingLimits.Off);
        services.TryAddSingleton<IngressPacing>();
        services.TryAddSingleton<ConfirmedPublisher>();
        return services;
    }
}
