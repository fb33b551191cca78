using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>The real host in process (TestServer), with the given settings.</summary>
internal sealed class HubFactory(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        if (services is not null)
            builder.ConfigureTestServices(services);
    }
}
