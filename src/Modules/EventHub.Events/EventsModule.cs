using EventHub.Events.EventLog;
using EventHub.Events.QueryEvents;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventHub.Events;

public static class EventsModule
{
    public static IHostApplicationBuilder AddEventsModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(EventLogSchema.V1);
        builder.Services.AddSingleton<EventLogStore>();
        return builder;
    }

    public static void ConfigureConsumers(IRegistrationConfigurator configurator) =>
        configurator.AddConsumer<StoreEventsConsumer, StoreEventsConsumerDefinition>();

    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events/{id}", GetEventEndpoint.HandleAsync)
            .WithName("GetEvent")
            .WithTags("Events")
            .WithSummary("One event from the event log")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
