using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Auth0;
using EventHub.Composition.Switches;
using EventHub.Contracts.Security;
using EventHub.Dashboard;
using EventHub.Events;
using EventHub.Host.Bus;
using EventHub.Host.ErrorQueues;
using EventHub.Host.Hosting;
using EventHub.Listeners;
using EventHub.Security;
using EventHub.Storage;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventHub.Integration.Tests;

/// <summary>
/// The host composed from Program.cs's <c>Add…</c> lines in other orders, with one detection switched off and the
/// dashboard on: every order registers the same services, starts the same receive endpoints and hosted services and maps
/// the same routes, and in every one the switched-off detection raises nothing while the others do (docs/adr/0027).
/// </summary>
public sealed class ModuleOrderTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    /// <summary>Program.cs's lines by name; the bus line as Program.cs writes it.</summary>
    static readonly Dictionary<string, Action<WebApplicationBuilder>> Lines = new()
    {
        ["host"] = builder => builder.AddEventHubHost(),
        ["auth0"] = builder => builder.AddAuth0Module(),
        ["events"] = builder => builder.AddEventsModule(),
        ["listeners"] = builder => builder.AddListenersModule(),
        ["security"] = builder => builder.AddSecurityModule(),
        ["dashboard"] = builder => builder.AddDashboardModule(),
        ["bus"] = builder =>
        {
            var switches = HubSwitches.Of(builder);
            builder.AddEventHubBus(EventsModule.ConfigureConsumers, ListenersModule.ConfigureConsumers, SecurityModule.ConfigureConsumers, bus => DashboardModule.ConfigureConsumers(bus, switches));
        },
        ["error-queues"] = builder => builder.AddErrorQueues(),
    };

    public static TheoryData<string> Orders =>
    [
        "host auth0 events listeners security dashboard bus error-queues",
        // The issue's case: the bus above the modules whose switches decide its consumers.
        "host auth0 events listeners bus security dashboard error-queues",
        "host bus error-queues dashboard security listeners events auth0",
        "error-queues bus dashboard security listeners events auth0 host",
    ];

    [Fact]
    public async Task Every_order_of_the_module_lines_composes_the_same_host_and_keeps_a_switched_off_detection_off()
    {
        var orders = Orders.Select(row => row.Data).ToList();
        var composed = new List<Composition>();
        foreach (var order in orders)
            composed.Add(await ComposeAsync(order));

        var programs = composed[0];
        Console.WriteLine($"{programs.Registrations.Count} registrations; endpoints: {string.Join(", ", programs.ReceiveEndpoints)}");
        Assert.Contains("evaluate-rules", programs.ReceiveEndpoints);
        Assert.Contains(programs.Registrations, r => r.Contains("LiveFeedConsumer", StringComparison.Ordinal));
        Assert.Contains("/ui/stream", programs.Routes);
        foreach (var (order, composition) in orders.Zip(composed))
        {
            Assert.False(composition.BruteForceAlerts, $"{order}: brute force alerts although switched off");
            Assert.True(composition.CredentialStuffingAlerts, $"{order}: credential stuffing switched off although on");
            Assert.True(programs.Registrations.SequenceEqual(composition.Registrations), $"{order}: registrations differ: {Difference(programs.Registrations, composition.Registrations)}");
            Assert.True(programs.ReceiveEndpoints.SequenceEqual(composition.ReceiveEndpoints), $"{order}: receive endpoints {string.Join(", ", composition.ReceiveEndpoints)}");
            Assert.True(programs.HostedServices.SequenceEqual(composition.HostedServices), $"{order}: hosted services {string.Join(", ", composition.HostedServices)}");
            Assert.True(programs.Routes.SequenceEqual(composition.Routes), $"{order}: routes {Difference(programs.Routes, composition.Routes)}");
        }
    }

    sealed record Composition(List<string> Registrations, List<string> ReceiveEndpoints, List<string> HostedServices, List<string> Routes, bool BruteForceAlerts, bool CredentialStuffingAlerts);

    static async Task<Composition> ComposeAsync(string order)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        var settings = HubSettings.Embedded();
        settings["EventHub:Security:BruteForce:Enabled"] = "false";
        builder.Configuration.AddInMemoryCollection(settings!);
        builder.WebHost.UseTestServer();
        foreach (var line in order.Split(' '))
            Lines[line](builder);
        var registrations = builder.Services.Select(Describe).Order(StringComparer.Ordinal).ToList();

        await using var app = builder.Build();
        await app.Services.TryMigrateBeforeStartAsync(Cancel);
        app.UseEventHubHost();
        app.MapAuth0Endpoints();
        app.MapEventsEndpoints();
        app.MapListenersEndpoints();
        app.MapSecurityEndpoints();
        app.MapDashboardEndpoints();
        app.MapErrorQueueEndpoints();
        await app.StartAsync(Cancel);
        try
        {
            var bus = app.Services.GetRequiredService<IBus>();
            var endpoints = await Eventually.UntilAsync(
                () => Task.FromResult(ReceiveEndpoints(bus)),
                names => names.Contains("store-events"),
                what: $"the receive endpoints of {order}");
            var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName!).Order(StringComparer.Ordinal).ToList();
            var routes = app.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .Select(e => e.RoutePattern.RawText ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
            var detections = app.Services.GetRequiredService<IDetectionsReader>().Read().Rules;
            return new Composition(registrations, endpoints, hosted, routes,
                detections.Single(d => d.Name == "brute_force").Alerts, detections.Single(d => d.Name == "credential_stuffing").Alerts);
        }
        finally
        {
            await app.StopAsync(Cancel);
        }
    }

    /// <summary>The bus's own endpoints by name, without the per-copy ones whose names are random.</summary>
    static List<string> ReceiveEndpoints(IBus bus) =>
        [.. JsonNode.Parse(JsonSerializer.Serialize(bus.GetProbeResult(Cancel)))!["Results"]!["bus"]!["host"]!["receiveEndpoint"]!.AsArray()
            .Select(e => e!["name"]!.GetValue<string>())
            .Where(name => !name.StartsWith("vm_", StringComparison.Ordinal))
            .Select(name => name.StartsWith("settle-pull-event-", StringComparison.Ordinal) ? "settle-pull-event-<copy>" : name)
            .Order(StringComparer.Ordinal)];

    static string Describe(ServiceDescriptor service)
    {
        var implementation = service.IsKeyedService
            ? service.KeyedImplementationType ?? service.KeyedImplementationInstance?.GetType()
            : service.ImplementationType ?? service.ImplementationInstance?.GetType();
        return $"{service.ServiceType.FullName}{(service.IsKeyedService ? $" [{service.ServiceKey}]" : "")} => {implementation?.FullName ?? "factory"} ({service.Lifetime})";
    }

    static string Difference(List<string> expected, List<string> actual) =>
        $"missing [{string.Join("; ", expected.Except(actual))}], extra [{string.Join("; ", actual.Except(expected))}]";
}
