using EventHub.Host.Hosting;

namespace EventHub.Integration.Tests;

/// <summary>The public addresses Kestrel would read as something else (every interface, port 80) are refused before it reads them.</summary>
public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://eventhub.internal:5080")]
    [InlineData("http://127.0.0.1")]
    [InlineData("HTTP://127.0.0.1:5080/")]
    [InlineData("http://unix:/run/eventhub.sock")]
    public void An_address_kestrel_reads_as_written_is_accepted(string url) =>
        Assert.Null(ListenAddresses.ProblemWith(url));

    [Theory]
    [InlineData("http://127.0.0.1:notaport", "'notaport' for a port")]
    [InlineData("http://127.0.0.1:", "'' for a port")]
    [InlineData("http://127.0.0.1:70000", "'70000' for a port")]
    [InlineData("http://127.0.0.1:-1", "'-1' for a port")]
    [InlineData("http://127.0.0.1:5000:6000", "'127.0.0.1:5000' for a host")]
    [InlineData("http://127.0.0.1 :5000", "'127.0.0.1 ' for a host")]
    [InlineData("http://:5000", "'' for a host")]
    [InlineData("http://a host:5000", "'a host' for a host")]
    [InlineData("http://[::1:5000", "IPv6")]
    [InlineData("http://[::1]x:5000", "IPv6")]
    [InlineData("http://[not-v6]:5000", "'[not-v6]' for a host")]
    [InlineData("ftp://127.0.0.1:21", "use http://host:port")]
    [InlineData("127.0.0.1:5080", "use http://host:port")]
    public void An_address_kestrel_would_read_as_another_is_refused_saying_which_part(string url, string problem)
    {
        var refusal = ListenAddresses.ProblemWith(url);

        Assert.NotNull(refusal);
        Assert.Contains(problem, refusal, StringComparison.Ordinal);
        Assert.Contains(url, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8080", true)]
    [InlineData("0", true)]
    [InlineData("65535", true)]
    [InlineData("65536", false)]
    [InlineData("eighty", false)]
    [InlineData(" 80", false)]
    [InlineData("+80", false)]
    public void A_port_setting_must_be_a_tcp_port_number(string port, bool accepted) =>
        Assert.Equal(accepted, ListenAddresses.PortProblem(port) is null);

    [Theory]
    [InlineData("http://127.0.0.1:5080", "127.0.0.1", 5080)]
    [InlineData("http://*:8080/", "*", 8080)]
    [InlineData("http://[::1]:5080", "[::1]", 5080)]
    [InlineData("https://localhost", "localhost", 443)]
    [InlineData("http://eventhub.internal", "eventhub.internal", 80)]
    public void The_host_and_port_of_an_address_are_read_as_kestrel_reads_them(string url, string host, int port) =>
        Assert.Equal((host, port), ListenAddresses.HostAndPort(url));
}
