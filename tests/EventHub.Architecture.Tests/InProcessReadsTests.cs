using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EventHub.Architecture.Tests;

/// <summary>
/// Modules read each other through interfaces in EventHub.Contracts, in process (docs/adr/0020): the bus carries events
/// only, and nothing in the host calls the host's own HTTP API. Read from each assembly's metadata, so a call hidden in
/// any method body is found, not only a constructor parameter.
/// </summary>
public sealed class InProcessReadsTests
{
    public static TheoryData<string> Modules => [.. Solution.ModuleNames];

    static readonly string[] AsksItsOwnCopies = ["EventHub.Listeners"];

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_should_use_no_request_response_over_the_bus(string module)
    {
        var (types, members) = Referenced(module);
        // A module may ask its own other copies, never another module: the listeners module settles a pull acknowledgement
        // at the copy that holds the stream (docs/adr/0024), with request types of its own assembly, which no other module references.
        if (AsksItsOwnCopies.Contains(module))
        {
            Assert.DoesNotContain("AddRequestClient", members);
            return;
        }

        Assert.DoesNotContain("MassTransit.IRequestClient`1", types);
        Assert.DoesNotContain("MassTransit.Response`1", types);
        Assert.DoesNotContain("RespondAsync", members);
        Assert.DoesNotContain("AddRequestClient", members);
    }

    [Fact]
    public void The_dashboard_should_not_call_the_hub_over_http()
    {
        var (types, _) = Referenced("EventHub.Dashboard");

        Assert.Contains("EventHub.Contracts.Listeners.IListenersReader", types);
        Assert.DoesNotContain("System.Net.Http.HttpClient", types);
        Assert.DoesNotContain("System.Net.Http.IHttpClientFactory", types);
    }

    [Fact]
    public void The_finder_should_see_a_request_client_where_one_is_used()
    {
        var (types, members) = Referenced("EventHub.Architecture.Tests");

        Assert.Contains("MassTransit.IRequestClient`1", types);
        Assert.Contains("RespondAsync", members);
    }

    /// <summary>The full names of the types an assembly references from others, and the names of the members it calls on them.</summary>
    static (HashSet<string> Types, HashSet<string> Members) Referenced(string assemblyName)
    {
        using var stream = File.OpenRead(Solution.Load(assemblyName).Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var types = metadata.TypeReferences.Select(handle => metadata.GetTypeReference(handle))
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}")
            .ToHashSet(StringComparer.Ordinal);
        var members = metadata.MemberReferences.Select(handle => metadata.GetString(metadata.GetMemberReference(handle).Name)).ToHashSet(StringComparer.Ordinal);
        return (types, members);
    }

    /// <summary>Never called: it gives this assembly the references the finder must see (<see cref="The_finder_should_see_a_request_client_where_one_is_used"/>).</summary>
    internal static async Task UsesRequestResponse(MassTransit.IRequestClient<Probe> client, MassTransit.ConsumeContext<Probe> context)
    {
        await client.GetResponse<Probe>(new Probe());
        await context.RespondAsync(new Probe());
    }

    internal sealed record Probe;
}
