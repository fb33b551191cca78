using EventHub.Contracts;
using EventHub.Samples.Consumer;
using MassTransit;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

var builder = Host.CreateApplicationBuilder(args);
var broker = new Uri(builder.Configuration["RabbitMq:Uri"] ?? "amqp://guest:guest@localhost:5672/");
var queue = builder.Configuration["Queue"] ?? "my-service-login-failures";

builder.Services.AddMassTransit(bus =>
{
    bus.AddConsumer<LoginFailureConsumer>();
    bus.AddConsumer<SecurityAlertConsumer>();
    bus.UsingRabbitMq((context, cfg) =>
    {
        cfg.Host(broker);
        // The hub's topology, declared the same way here so that neither side redeclares the other's exchange differently:
        // every IHubEvent goes through the topic exchange eventhub.events, routed by event name.
        cfg.Message<IHubEvent>(message => message.SetEntityName(HubEventNames.Exchange));
        cfg.Publish<IHubEvent>(publish => publish.ExchangeType = ExchangeType.Topic);
        // A queue of this service's own: the hub's modules and other services each get every event once.
        cfg.ReceiveEndpoint(queue, endpoint =>
        {
            endpoint.UseMessageRetry(retry => retry.Intervals(100, 1000, 5000));
            endpoint.ConfigureConsumer<LoginFailureConsumer>(context);
            endpoint.ConfigureConsumer<SecurityAlertConsumer>(context);
        });
    });
});

await builder.Build().RunAsync();
