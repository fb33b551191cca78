using EventHub.Listeners.Webhooks;
using System.Net;

namespace EventHub.Listeners.Tests;

public sealed class TargetGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("64:ff9b:1::a00:1", true)]
    [InlineData("2002:a9fe:a9fe::1", true)]
    [InlineData("::a00:1", true)]
    [InlineData("::", true)]
    [InlineData("192.0.0.170", true)]
    [InlineData("198.18.0.1", true)]
    [InlineData("198.19.255.255", true)]
    [InlineData("198.20.0.1", false)]
    [InlineData("168.63.129.16", true)]
    [InlineData("168.63.129.17", false)]
    [InlineData("fec0::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("255.255.255.255", true)]
    public void Should_know_which_addresses_are_not_public(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, TargetGuard.IsPrivate(IPAddress.Parse(address)));

    [Fact]
    public async Task Should_refuse_a_literal_private_address_unless_allowed()
    {
        Assert.NotNull(await TargetGuard.CheckAsync(new Uri("http://10.1.2.3/hook"), allowPrivate: false, TestContext.Current.CancellationToken));
        Assert.Null(await TargetGuard.CheckAsync(new Uri("http://10.1.2.3/hook"), allowPrivate: true, TestContext.Current.CancellationToken));
        Assert.Null(await TargetGuard.CheckAsync(new Uri("http://93.184.215.14/hook"), allowPrivate: false, TestContext.Current.CancellationToken));
    }
}
