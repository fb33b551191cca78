using EventHub.Listeners.Webhooks;
using System.Text;

namespace EventHub.Listeners.Tests;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks specification's published test vector.
    const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long Timestamp = 1614265330;
    const string Body = """{"test": 2432232314}""";

    [Fact]
    public void Should_reproduce_the_standard_webhooks_test_vector() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Secret, MessageId, Timestamp, Encoding.UTF8.GetBytes(Body)));

    [Theory]
    [InlineData("msg_other", Timestamp, Body)]
    [InlineData(MessageId, Timestamp + 1, Body)]
    [InlineData(MessageId, Timestamp, """{"test": 2432232315}""")]
    public void Should_change_when_the_id_the_time_or_the_body_changes(string id, long timestamp, string body) =>
        Assert.NotEqual("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Secret, id, timestamp, Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData(Secret, true)]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_not base64!", false)]
    [InlineData("whsec_", false)]
    public void Should_accept_only_whsec_secrets_of_24_to_64_bytes(string secret, bool valid) =>
        Assert.Equal(valid, WebhookSignature.IsValidSecret(secret));
}
