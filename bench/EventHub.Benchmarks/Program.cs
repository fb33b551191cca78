using BenchmarkDotNet.Running;

if (args is ["publish-paths"])
    return await EventHub.Benchmarks.PublishPaths.RunAsync();
if (args is ["consume-paths"])
    return await EventHub.Benchmarks.ConsumePaths.RunAsync();
if (args is ["payload-formats"])
    return EventHub.Benchmarks.PayloadFormats.Run();
if (args is ["health-check"])
    return await EventHub.Benchmarks.HealthCheckCost.RunAsync();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>Entry point for BenchmarkDotNet.</summary>
public partial class Program;
