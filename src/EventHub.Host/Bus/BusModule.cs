using EventHub.Composition;
using EventHub.Composition.Retry;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Contracts.Auth0.EventStreams;
using EventHub.Listeners;
using EventHub.Publishing;
using EventHub.Storage.Startup;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace EventHub.Host.Bus;

/// <summary>The single bus of the host: modules contribute consumers, only this class calls AddMassTransit.</summary>
internal static class BusModule
{
    public const string TransportKey = "EventHub:Transport";
    public const string StopTimeoutKey = "EventHub:Bus:StopTimeout";

    public static WebApplicationBuilder AddEventHubBus(this WebApplicationBuilder builder, params Action<IBusRegistrationConfigurator>[] modules)
    {
        var transport = Settings.ReadEnum(builder.Configuration, TransportKey, TransportKind.InMemory);
        var rabbitMq = transport == TransportKind.RabbitMq ? RabbitMqSettings.Read(builder.Configuration) : null;
        var stopTimeout = ReadStopTimeout(builder.Configuration);
        builder.Services.AddSingleton(new BusDescription(transport, rabbitMq?.ToString()));
        var hubQueues = new HubQueueNames();
        if (rabbitMq is null)
            builder.Services.AddSingleton<IListenerTransport, InMemoryListenerTransport>();
        else
        {
            builder.Services.AddSingleton(rabbitMq);
            builder.Services.AddSingleton(hubQueues);
            builder.Services.AddSingleton(_ => new RabbitMqAdminConnection(rabbitMq));
            builder.Services.AddSingleton<QueueRebuilder>();
            builder.Services.AddSingleton<IListenerTransport>(services => new RabbitMqListenerTransport(rabbitMq, services.GetRequiredService<RabbitMqAdminConnection>()));
            builder.Services.AddSingleton<IHubEventWire>(services => new RabbitMqHubEventWire(services.GetRequiredService<MassTransit.Transports.IBusInstance>()));
            builder.Services.AddConfirmedPublishing();
            builder.Services.AddSingleton<StalledEndpointWatchdog>();
            builder.Services.AddHostedService(services => services.GetRequiredService<StalledEndpointWatchdog>());
            builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<StalledEndpointWatchdog>());
        }

        builder.Services.TryAddSingleton(RetryPolicies.Read(builder.Configuration));
        // Replaces the "off" that AddConfirmedPublishing registers when a module asked for it first.
        builder.Services.Replace(ServiceDescriptor.Singleton(IngressPacingSettings.Read(builder.Configuration)));
        builder.Services.AddHealthChecks().AddCheck<BusReadinessCheck>(BusReadinessCheck.Name, HealthStatus.Unhealthy, ["ready"]);
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit's own check stays in /health for operators; readiness is BusReadinessCheck's.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit-endpoints";
                health.Tags.Clear();
                health.Tags.Add("masstransit");
            });
            bus.SetKebabCaseEndpointNameFormatter();
            foreach (var configureConsumers in modules)
                configureConsumers(bus);

            // What still fails after its retries goes to <queue>_error (docs/adr/0001). No default retry here: each endpoint
            // applies its own kind's policy once (RetryPolicies), since a second UseMessageRetry on an endpoint nests.
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                endpoint.UseConsumeFilter(typeof(WaitForDatabaseFilter<>), context);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                {
                    rabbitEndpoint.ConnectConsumerConfigurationObserver(new HubTopicBindingsObserver(rabbitEndpoint));
                    if (QuorumQueues.CanHold(rabbitEndpoint))
                    {
                        hubQueues.Add(name);
                        if (rabbitMq is { QuorumQueues: true })
                            QuorumQueues.Apply(rabbitEndpoint, name, rabbitMq.DeliveryLimit);
                    }
                }
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
                    host.Heartbeat((ushort)rabbitMq.HeartbeatSeconds);
                    if (rabbitMq.Nodes.Count > 0)
                    {
                        // Connects to the first node that answers and, when it goes away, reconnects to the next.
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in rabbitMq.Nodes)
                                cluster.Node(node);
                        });
                    }

                    if (rabbitMq.UseSsl)
                        host.UseSsl(ssl => ssl.ServerName = rabbitMq.Host);
                });
                ConfigureHubTopology(cfg, context);
                cfg.Publish<IHubEvent>(publish => publish.ExchangeType = ExchangeType.Topic);
                cfg.Publish<HubEventBatch>(publish => publish.ExchangeType = ExchangeType.Topic);
                if (rabbitMq.QuorumQueues)
                    cfg.SendTopology.ConfigureErrorSettings = error => error.SetQuorumQueue();
                // Declares eventhub.events at startup, so applications can bind their queues before the first event.
                cfg.DeployPublishTopology = true;
                cfg.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            // On RabbitMQ, serve HTTP even while the broker is down: ingress answers 503 until it is back.
            // In memory, the bus cannot fail to start, and waiting means no request is accepted before consumers run.
            options.WaitUntilStarted = transport == TransportKind.InMemory;
            // How long a stop waits for consumers in flight. A batch still being collected when the stop begins is not
            // delivered and holds the stop for this long; on RabbitMQ its messages stay unacked and come back later.
            options.StopTimeout = stopTimeout;
        });
        return builder;
    }

    static TimeSpan ReadStopTimeout(IConfiguration configuration)
    {
        var text = configuration[StopTimeoutKey];
        if (string.IsNullOrWhiteSpace(text))
            return TimeSpan.FromSeconds(20);
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10)
            ? value
            : throw Settings.Invalid(StopTimeoutKey, $"'{text}' is not valid: use a time span from 00:00:00.1 to 00:10:00");
    }

    static void ConfigureHubTopology(IBusFactoryConfigurator cfg, IBusRegistrationContext context)
    {
        cfg.Message<IHubEvent>(message => message.SetEntityName(HubEventNames.Exchange));
        cfg.Message<HubEventBatch>(message => message.SetEntityName(HubEventNames.Batches));
        cfg.Publish<Auth0LogEntry>(publish => publish.Exclude = true);
        cfg.Publish<Auth0Change>(publish => publish.Exclude = true);
        cfg.UsePublishFilter(typeof(HubEventPublishFilter<>), context);
    }
}
