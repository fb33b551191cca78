using EventHub.Listeners.Replays;
using EventHub.Listeners.Webhooks;
using System.Net.Sockets;
using EventHub.Access;
using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Queues;
using EventHub.Listeners.PersonalData;
using EventHub.Listeners.Filters;
using EventHub.Listeners.Health;
using EventHub.Listeners.Pull;
using EventHub.Listeners.RateLimits;
using EventHub.Listeners.Redaction;
using EventHub.Listeners.Registry;
using EventHub.Listeners.Transactions;
using EventHub.Storage.PersonalData;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using EventHub.Publishing;

namespace EventHub.Listeners;

public static class ListenersModule
{
    /// <summary>The broker queues of the registered listeners, for the host's queue checks and migration.</summary>
    public static async Task<IReadOnlyList<string>> QueueNamesAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        (await services.GetRequiredService<ListenerStore>().ListAsync(cancellationToken)).Select(listener => listener.QueueName).ToList();

    public static IHostApplicationBuilder AddListenersModule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddConfirmedPublishing();
        builder.Services.AddOptions<ListenersOptions>().BindConfiguration(ListenersOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ListenersOptions>, ListenersOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ListenersSchema.V1);
        builder.Services.AddSingleton(ListenersSchema.V2);
        builder.Services.AddSingleton(ListenersSchema.V3);
        builder.Services.AddSingleton(ListenersSchema.Rules1);
        builder.Services.AddSingleton(ListenersSchema.Rules2);
        builder.Services.AddSingleton(ListenersSchema.Rules3);
        builder.Services.AddSingleton(ListenersSchema.Rules4);
        builder.Services.AddSingleton<DeliveryPacer>();
        builder.Services.AddSingleton<ListenerHealth>();
        builder.Services.AddSingleton<RedactionKey>();
        builder.Services.AddSingleton<ListenerStore>();
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<IEventDeliveriesReader, EventDeliveriesReader>();
        builder.Services.AddSingleton<IListenersReader, ListenersReader>();
        builder.Services.AddSingleton<IListenerActions, ListenerActions>();
        builder.Services.AddSingleton<IPersonalDataEraser, DeliveryPersonalData>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<Deliverer>();
        builder.Services.AddSingleton<PullStreams>();
        builder.Services.AddKeyedSingleton(PullApi.StreamCap, new ConnectionCap("EventHub:Listeners:MaxStreamsPerKey"));
        builder.Services.AddSingleton<PullAcknowledgements>();
        builder.Services.AddSingleton<ListenerMetrics>();
        builder.Services.AddSingleton(ReplayJobsSchema.V1);
        builder.Services.AddSingleton<ReplayJobStore>();
        builder.Services.AddSingleton<ReplayJobRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplayJobRunner>());
        builder.Services.AddSingleton<BusStarted>();
        builder.Services.AddBusObserver(services => services.GetRequiredService<BusStarted>());
        builder.Services.AddSingleton<ListenerQueues>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListenerQueues>());
        builder.Services.AddHostedService<RetryScheduler>();
        builder.Services.AddHostedService<DeliveryRetention>();
        builder.Services.AddHttpClient(WebhookSender.ClientName).ConfigurePrimaryHttpMessageHandler(services =>
        {
            var allowPrivate = services.GetRequiredService<IOptions<ListenersOptions>>().Value.AllowPrivateTargets;
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy (HTTP_PROXY) would be what ConnectCallback connects to, so the target would go unchecked.
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                // Checked again when connecting: a host name that resolved to a public address at registration may not now.
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                    if (!allowPrivate && addresses.Any(TargetGuard.IsPrivate))
                        throw new HttpRequestException(HttpRequestError.ConnectionError, "The webhook target resolves to a private address.");
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
        });
        return builder;
    }

    public static void ConfigureConsumers(IRegistrationConfigurator configurator) =>
        configurator.AddConsumer<SettlePullEventConsumer, SettlePullEventConsumerDefinition>();

    public static IEndpointRouteBuilder MapListenersEndpoints(this IEndpointRouteBuilder app)
    {
        var listeners = app.MapGroup("/v1/listeners").WithTags("Listeners").RequireAuthorization();
        listeners.MapPost("/", ListenersApi.RegisterAsync).WithName("RegisterListener").WithSummary("Register (or update, by platform + label + name) a listener")
            .WithRegistrationBody(patch: false).ProducesValidationProblem().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage).LimitBody();
        listeners.MapGet("/", ListenersApi.ListAsync).WithName("ListListeners").WithSummary("The caller's listeners (every listener for an admin key)")
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapGet("/{id}", ListenersApi.GetAsync).WithName("GetListener").WithSummary("One listener with its queue depth and transaction counts")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapPatch("/{id}", ListenersApi.PatchAsync).WithName("UpdateListener").WithSummary("Change a listener's patterns, delivery URL, timeout, secret, retry or filter")
            .WithRegistrationBody(patch: true).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage).LimitBody();
        listeners.MapDelete("/{id}", ListenersApi.DeleteAsync).WithName("DeregisterListener").WithSummary("Deregister: stop delivering, remove the queue and its bindings")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapGet("/{id}/transactions", TransactionsApi.TransactionsAsync).WithName("ListTransactions").WithSummary("Delivery records: state, attempts, status, output, error")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapGet("/{id}/dead-letters", TransactionsApi.DeadLettersAsync).WithName("ListDeadLetters").WithSummary("What exhausted its retries")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapPost("/{id}/dead-letters/replay", TransactionsApi.ReplayAsync).WithName("ReplayDeadLetters").WithSummary("Deliver dead letters again (all, or {\"eventIds\": [...]})")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.Replay).LimitBody();
        listeners.MapPost("/{id}/replays", ReplaysApi.StartAsync).WithName("StartReplay")
            .WithSummary("Deliver past events of the event log again, as a job any copy continues: {\"from\", \"to\"?, \"events\"?, \"filter\"?}")
            .WithReplayBody().Produces(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.Replay).LimitBody();
        listeners.MapGet("/{id}/replays", ReplaysApi.ListAsync).WithName("ListReplays").WithSummary("The listener's replay jobs, newest first")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.Replay);
        listeners.MapGet("/{id}/replays/{jobId}", ReplaysApi.GetAsync).WithName("GetReplay").WithSummary("One replay job: state, matched, delivered, failed, skipped, progress")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.Replay);
        listeners.MapDelete("/{id}/replays/{jobId}", ReplaysApi.CancelAsync).WithName("CancelReplay").WithSummary("Cancel a running replay job; what it delivered stays delivered")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.Replay);
        listeners.MapPost("/{id}/resume", ListenersApi.ResumeAsync).WithName("ResumeListener")
            .WithSummary("Resume a paused listener: what its queue held is delivered in the order received")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapGet("/{id}/stream", PullApi.StreamAsync).WithName("StreamListener")
            .WithSummary("Pull delivery: the listener's events as server-sent events (Last-Event-ID, heartbeats); acknowledge each with POST .../transactions/{eventId}")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage);
        listeners.MapPost("/{id}/transactions/{eventId}", PullApi.AcknowledgeAsync).WithName("AcknowledgeEvent")
            .WithSummary("Acknowledge a streamed event: {\"status\": \"succeeded\"|\"failed\", \"output\"?: {...}, \"error\"?: \"...\"}")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).RequireScope(Scopes.ListenersManage).LimitBody(PullApi.MaxAcknowledgementBytes);
        app.MapPost("/v1/filters/test", FilterTestApi.TestAsync).WithTags("Listeners").RequireScope(Scopes.EventsRead).WithName("TestFilter")
            .WithSummary("Whether a listener filter matches an event ({\"filter\", \"event\"} or {\"filter\", \"eventId\"} from the log), and why not")
            .WithFilterTestBody().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden).LimitBody();
        return app;
    }
}
