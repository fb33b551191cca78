namespace EventHub.Security.Tests;

public sealed class SecurityOptionsValidatorTests
{
    static IReadOnlyList<string> Failures(SecurityOptions options) =>
        new SecurityOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Should_accept_the_defaults()
    {
        Assert.Empty(Failures(new SecurityOptions()));
    }

    [Fact]
    public void Should_name_each_bad_setting_as_an_environment_variable()
    {
        var failures = Failures(new SecurityOptions
        {
            BruteForce = new BurstOptions { Threshold = 1, Window = TimeSpan.FromMinutes(5) },
            CredentialStuffing = new BurstOptions { Threshold = 20, Window = TimeSpan.Zero },
            StateRetention = TimeSpan.FromHours(1),
        });

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("EventHub__Security__BruteForce__Threshold '1' is not valid", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EventHub__Security__CredentialStuffing__Window '00:00:00' is not valid", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EventHub__Security__StateRetention '01:00:00' is not valid", StringComparison.Ordinal));
    }
}
