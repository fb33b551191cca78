using System.Reflection;
using System.Runtime.CompilerServices;

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
    public void The_publishing_path_should_reference_no_module_nor_the_host_nor_storage()
    {
        var references = Solution.References("EventHub.Publishing");
        Assert.DoesNotContain(references, Solution.ModuleNames.Contains);
        Assert.DoesNotContain("EventHub.Host", references);
        Assert.DoesNotContain("EventHub.Storage", references);
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
        var publicMembers = publicTypes.SelectMany(DocumentedMembers).ToList();

        Assert.NotEmpty(publicTypes);
        Assert.Contains("M:EventHub.Client.EventHubClient.#ctor(EventHub.Client.EventHubClientOptions)", publicMembers);
        Assert.All(publicTypes.Select(type => "T:" + Name(type)).Concat(publicMembers), id => Assert.Contains(id, documented));
    }

    [Fact]
    public void The_cli_should_reach_the_hub_only_through_the_sdk()
    {
        var references = Solution.References("EventHub.Cli");
        Assert.Contains("EventHub.Client", references);
        Assert.All(references, name => Assert.False(name.StartsWith("MassTransit", StringComparison.Ordinal) || (name.StartsWith("EventHub.", StringComparison.Ordinal) && name is not ("EventHub.Client" or "EventHub.Contracts")), $"EventHub.Cli references {name}"));
    }

    /// <summary>
    /// The documentation ids (ECMA-334 annex D) of a type's own public members, as the compiler writes them in the XML
    /// file; accessors and what the compiler generates (a record's Equals, a class's implicit constructor) have none.
    /// Reflection cannot tell an implicit constructor from a written one, so a type's only, parameterless constructor is left out.
    /// </summary>
    static IEnumerable<string> DocumentedMembers(Type type) =>
        type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(member => member is not Type && !member.IsDefined(typeof(CompilerGeneratedAttribute)))
            .Where(member => member is not MethodInfo { IsSpecialName: true } method || method.Name.StartsWith("op_", StringComparison.Ordinal))
            .Where(member => member is not FieldInfo { IsSpecialName: true })
            .Where(member => member is not ConstructorInfo { IsStatic: false } constructor || constructor.GetParameters().Length > 0 || type.GetConstructors().Length > 1)
            .Select(member => member switch
            {
                ConstructorInfo constructor => $"M:{Name(type)}.#ctor{Parameters(constructor)}",
                MethodInfo method => $"M:{Name(type)}.{method.Name}{(method.IsGenericMethod ? "``" + method.GetGenericArguments().Length : "")}{Parameters(method)}"
                    + (method.Name is "op_Implicit" or "op_Explicit" ? "~" + Name(method.ReturnType) : ""),
                PropertyInfo property => $"P:{Name(type)}.{property.Name}{(property.GetIndexParameters() is { Length: > 0 } index ? "(" + string.Join(",", index.Select(p => Name(p.ParameterType))) + ")" : "")}",
                FieldInfo field => $"F:{Name(type)}.{field.Name}",
                EventInfo @event => $"E:{Name(type)}.{@event.Name}",
                _ => $"?:{Name(type)}.{member.Name}",
            });

    static string Parameters(MethodBase method) =>
        method.GetParameters() is { Length: > 0 } parameters ? "(" + string.Join(",", parameters.Select(p => Name(p.ParameterType))) + ")" : "";

    static string Name(Type type) => type switch
    {
        { IsByRef: true } => Name(type.GetElementType()!) + "@",
        { IsArray: true } => Name(type.GetElementType()!) + "[]",
        { IsGenericParameter: true } => (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition,
        { IsConstructedGenericType: true } => Name(type.GetGenericTypeDefinition()).Split('`')[0] + "{" + string.Join(",", type.GetGenericArguments().Select(Name)) + "}",
        _ => type.FullName!.Replace('+', '.'),
    };

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
