using System.Text;

namespace EventHub.Client.Tests;

public sealed class WebhooksTests
{
    // The Standard Webhooks specification's published test vector (as the server's signing tests use it).
    const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const string Timestamp = "1614265330";
    const string Body = """{"test": 2432232314}""";
    const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    static Dictionary<string, string> Headers(string signature = Signature, string id = MessageId, string timestamp = Timestamp) => new()
    {
        ["Webhook-Id"] = id,
        ["webhook-timestamp"] = timestamp,
        ["webhook-signature"] = signature,
    };

    [Fact]
    public void Should_accept_the_standard_webhooks_test_vector() =>
        Assert.True(Webhooks.Verify(Secret, Headers(), Body, TimeSpan.FromMinutes(5), SentAt.AddMinutes(1)));

    [Fact]
    public void Should_accept_bytes_and_any_one_of_several_signatures_during_a_rotation() =>
        Assert.True(Webhooks.Verify(Secret, Headers("v1,bm90IHRoZSBzaWduYXR1cmU= " + Signature), Encoding.UTF8.GetBytes(Body), now: SentAt));

    [Theory]
    [InlineData("tampered body", """{"test": 2432232315}""", MessageId, Timestamp, Signature)]
    [InlineData("other id", Body, "msg_other", Timestamp, Signature)]
    [InlineData("other timestamp", Body, MessageId, "1614265331", Signature)]
    [InlineData("wrong version", Body, MessageId, Timestamp, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("not base64", Body, MessageId, Timestamp, "v1,???")]
    [InlineData("no timestamp", Body, MessageId, "", Signature)]
    public void Should_reject_what_does_not_match(string what, string body, string id, string timestamp, string signature) =>
        Assert.False(Webhooks.Verify(Secret, Headers(signature, id, timestamp), body, now: SentAt), what);

    [Fact]
    public void Should_reject_a_timestamp_outside_the_tolerance()
    {
        Assert.False(Webhooks.Verify(Secret, Headers(), Body, TimeSpan.FromMinutes(5), SentAt.AddMinutes(6)));
        Assert.False(Webhooks.Verify(Secret, Headers(), Body, TimeSpan.FromMinutes(5), SentAt.AddMinutes(-6)));
        Assert.True(Webhooks.Verify(Secret, Headers(), Body, TimeSpan.FromMinutes(10), SentAt.AddMinutes(6)));
    }

    [Fact]
    public void Should_reject_missing_headers_and_refuse_a_secret_that_is_not_base64()
    {
        Assert.False(Webhooks.Verify(Secret, new Dictionary<string, string> { ["webhook-id"] = MessageId }, Body, now: SentAt));
        Assert.Throws<ArgumentException>(() => Webhooks.Verify("whsec_not base64!", Headers(), Body, now: SentAt));
    }
}
