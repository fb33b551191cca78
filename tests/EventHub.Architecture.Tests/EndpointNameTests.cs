using MassTransit;

namespace EventHub.Architecture.Tests;

/// <summary>Two consumers whose names format alike would share one queue, its retries and its filters: keep names unique.</summary>
public sealed class EndpointNameTests
{
    [Fact]
    public void Consumer_endpoint_names_should_be_unique_across_modules()
    {
        var consumers = Solution.ModuleNames
            .Select(Solution.Load)
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .ToList();
        Assert.NotEmpty(consumers);

        var format = typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!;
        var names = consumers.Select(type => (Type: type, Name: (string)format.MakeGenericMethod(type).Invoke(KebabCaseEndpointNameFormatter.Instance, null)!)).ToList();

        var duplicates = names.GroupBy(n => n.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(n => n.Type.FullName))}");
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Consumers_should_be_sealed()
    {
        var unsealed = Solution.ModuleNames
            .Select(Solution.Load)
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false, IsSealed: false } && typeof(IConsumer).IsAssignableFrom(type))
            .Select(type => type.FullName);
        Assert.Empty(unsealed);
    }
}
