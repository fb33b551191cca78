namespace EventHub.Architecture.Tests;

public sealed class DependencyRulesTests
{
    public static TheoryData<string> Modules => [.. Solution.ModuleNames];

    public static TheoryData<string> SourceProjects => [.. Solution.SourceProjectNames];

    [Fact]
    public void Should_find_the_modules_in_the_source_tree()
    {
        Assert.Contains("EventHub.Auth0", Solution.ModuleNames);
        Assert.Contains("EventHub.Events", Solution.ModuleNames);
    }

    [Fact]
    public void Contracts_should_reference_nothing_but_the_framework()
    {
        var references = Solution.References("EventHub.Contracts");
        Assert.All(references, name => Assert.True(name is "System.Runtime" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal), $"EventHub.Contracts references {name}"));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_should_not_reference_another_module(string module)
    {
        var others = Solution.ModuleNames.Where(m => m != module).ToHashSet();
        var references = Solution.References(module);
        Assert.DoesNotContain(references, others.Contains);
        Assert.DoesNotContain("EventHub.Host", references);
    }

    [Fact]
    public void The_client_should_reference_neither_the_host_nor_a_module_nor_masstransit()
    {
        var references = Solution.References("EventHub.Client");

        Assert.Contains("Microsoft.Extensions.Http.Resilience", references);
        Assert.DoesNotContain("EventHub.Host", references);
        Assert.DoesNotContain("EventHub.Storage", references);
        Assert.DoesNotContain(references, Solution.ModuleNames.Contains);
        Assert.DoesNotContain(references, name => name.StartsWith("MassTransit", StringComparison.Ordinal) || name.StartsWith("RabbitMQ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_should_document_every_public_member()
    {
        var documentation = Path.Combine(AppContext.BaseDirectory, "EventHub.Client.xml");
        var documented = System.Xml.Linq.XDocument.Load(documentation).Descendants("member").Select(m => m.Attribute("name")!.Value).ToHashSet();
        var publicTypes = Solution.Load("EventHub.Client").GetExportedTypes();

        Assert.NotEmpty(publicTypes);
        Assert.All(publicTypes, type => Assert.Contains($"T:{type.FullName}", documented));
    }

    [Fact]
    public void The_cli_should_reach_the_hub_only_through_the_sdk()
    {
        var references = Solution.References("EventHub.Cli");
        Assert.Contains("EventHub.Client", references);
        Assert.All(references, name => Assert.False(name.StartsWith("MassTransit", StringComparison.Ordinal) || (name.StartsWith("EventHub.", StringComparison.Ordinal) && name is not ("EventHub.Client" or "EventHub.Contracts")), $"EventHub.Cli references {name}"));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Only_the_host_should_reference_the_rabbitmq_transport(string project)
    {
        if (project == "EventHub.Host")
        {
            Assert.Contains("MassTransit.RabbitMqTransport", Solution.References(project));
            return;
        }

        var references = Solution.References(project);
        Assert.DoesNotContain("MassTransit.RabbitMqTransport", references);
        Assert.DoesNotContain("RabbitMQ.Client", references);
    }
}
