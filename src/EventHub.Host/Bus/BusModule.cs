using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Storage;
using MassTransit;
using RabbitMQ.Client;

namespace EventHub.Host.Bus;

/// <summary>The single bus of the host: modules contribute consumers, only this class calls AddMassTransit.</summary>
internal static class BusModule
{
    public const string TransportKey = "EventHub:Transport";

    public static WebApplicationBuilder AddEventHubBus(this WebApplicationBuilder builder, params Action<IBusRegistrationConfigurator>[] modules)
    {
        var transport = Settings.ReadEnum(builder.Configuration, TransportKey, TransportKind.InMemory);
        var rabbitMq = transport == TransportKind.RabbitMq ? RabbitMqSettings.Read(builder.Configuration) : null;
        builder.Services.AddSingleton(new BusDescription(transport, rabbitMq?.ToString()));

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            foreach (var configureConsumers in modules)
                configureConsumers(bus);

            // The default for every endpoint; a consumer's definition may override it. Retries stay in-process
            // (no broker plugin needed); what still fails goes to <queue>_error. See docs/adr/0001.
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.UseMessageRetry(retry => retry.Intervals(
                    TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                    rabbitEndpoint.ConnectConsumerConfigurationObserver(new BindAllHubEventsObserver(rabbitEndpoint));
            });

            if (rabbitMq is null)
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureHubTopology(cfg, context);
                    cfg.ConfigureEndpoints(context);
                });
                return;
            }

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbitMq.Host, rabbitMq.Port, rabbitMq.VirtualHost, $"eventhub-{Environment.MachineName}", host =>
                {
                    host.Username(rabbitMq.Username);
                    host.Password(rabbitMq.Password);
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    if (rabbitMq.UseSsl)
                        host.UseSsl(ssl => ssl.ServerName = rabbitMq.Host);
                });
                ConfigureHubTopology(cfg, context);
                cfg.Publish<IHubEvent>(publish => publish.ExchangeType = ExchangeType.Topic);
                // Declares eventhub.events at startup, so applications can bind their queues before the first event.
                cfg.DeployPublishTopology = true;
                cfg.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            // Start serving HTTP even when the broker is down: ingress answers 503 until it is back.
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(20);
        });
        return builder;
    }

    static void ConfigureHubTopology(IBusFactoryConfigurator cfg, IBusRegistrationContext context)
    {
        cfg.Message<IHubEvent>(message => message.SetEntityName(HubEventNames.Exchange));
        cfg.Publish<Auth0LogEntry>(publish => publish.Exclude = true);
        cfg.UsePublishFilter(typeof(HubEventPublishFilter<>), context);
    }
}
