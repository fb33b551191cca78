using EventHub.Composition.Retry;
using MassTransit.RetryPolicies;
using MassTransit.RetryPolicies.ExceptionFilters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventHub.Storage.Tests;

/// <summary><c>EventHub__Bus__RetryMaxInterval</c>, and how long the outage schedule holds a message before its <c>_error</c> queue.</summary>
public sealed class RetryPoliciesTests
{
    [Fact]
    public void Without_the_setting_every_policy_is_the_default()
    {
        var read = RetryPolicies.Read(Configuration(null));
        var defaults = new RetryPolicies();

        Assert.Equal(defaults.StoreEvents, read.StoreEvents);
        Assert.Equal(defaults.ListenerDelivery, read.ListenerDelivery);
        Assert.Equal(defaults.Detections, read.Detections);
        Assert.Equal(defaults.DetectionConflicts, read.DetectionConflicts);
    }

    [Fact]
    public void The_setting_caps_the_database_outage_policies_and_leaves_the_conflict_retry_alone()
    {
        var read = RetryPolicies.Read(Configuration("00:00:00.100"));
        var defaults = new RetryPolicies();

        foreach (var policy in new[] { read.StoreEvents, read.ListenerDelivery, read.Detections })
            Assert.Equal(defaults.StoreEvents with { MaxInterval = TimeSpan.FromMilliseconds(100) }, policy);
        Assert.Equal(defaults.DetectionConflicts, read.DetectionConflicts);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("00:00:00.050")]
    [InlineData("00:10:00.001")]
    [InlineData("-00:00:01")]
    public void A_bad_value_names_the_setting_and_the_range(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => RetryPolicies.Read(Configuration(value)));

        Assert.Equal($"EventHub__Bus__RetryMaxInterval '{value}' is not valid: use a time span from 00:00:00.1 to 00:10:00.", Assert.Single(e.Failures));
    }

    /// <summary>The figure docs/reliability.md and the README quote: MassTransit's own schedule for the default policy, with its jitter.</summary>
    [Fact]
    public void The_default_outage_schedule_holds_a_message_for_minutes_before_its_error_queue()
    {
        var policy = new RetryPolicies().StoreEvents;
        var totals = Enumerable.Range(0, 200).Select(_ =>
        {
            var schedule = new ExponentialRetryPolicy(new AllExceptionFilter(), policy.Retries, policy.MinInterval, policy.MaxInterval, policy.Delta);
            return Enumerable.Range(0, policy.Retries).Sum(retry => schedule.GetRetryInterval(retry).TotalSeconds);
        }).ToList();

        TestContext.Current.TestOutputHelper?.WriteLine($"StoreEvents: {policy.Retries} retries, {totals.Min():F0} to {totals.Max():F0} s in all over {totals.Count} draws (median {totals.Order().ElementAt(totals.Count / 2):F0} s)");
        Assert.All(totals, total => Assert.True(total > policy.MaxInterval.TotalSeconds, $"{total} s: the schedule never reaches its longest wait"));
    }

    static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [RetryPolicies.MaxIntervalKey] = value }).Build();
}
