using System.Reflection;
using EventHub.TestSupport;

namespace EventHub.Architecture.Tests;

/// <summary>The projects of the solution, found from the source tree so a new module is covered without editing the tests.</summary>
internal static class Solution
{
    static readonly string Root = HostProcess.RepositoryRoot();

    public static IReadOnlyList<string> ModuleNames { get; } =
        [.. Directory.GetDirectories(Path.Combine(Root, "src", "Modules")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> SourceProjectNames { get; } =
        [.. Directory.GetDirectories(Path.Combine(Root, "src")).Select(Path.GetFileName).OfType<string>().Where(n => n != "Modules").Concat(ModuleNames).Order(StringComparer.Ordinal)];

    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    public static IReadOnlyList<string> References(string assemblyName) =>
        [.. Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!)];
}
