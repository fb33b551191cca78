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
