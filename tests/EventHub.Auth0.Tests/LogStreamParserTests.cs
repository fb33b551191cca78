using System.Text;
using EventHub.Auth0.LogStream;

namespace EventHub.Auth0.Tests;

public sealed class LogStreamParserTests
{
    const string Record = """{"log_id":"1","data":{"type":"s"}}""";

    [Theory]
    [InlineData("[" + Record + "," + Record + "]", 2)]
    [InlineData(Record + "\n" + Record + "\n\n", 2)]
    [InlineData(Record + "\r\n" + Record, 2)]
    [InlineData(Record, 1)]
    [InlineData("[]", 0)]
    [InlineData("\uFEFF[" + Record + "]", 1)]
    public void Should_read_the_three_formats(string body, int count)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var records = LogStreamParser.Parse(bytes);

        Assert.Equal(count, records.Count);
        Assert.All(records, r => Assert.Equal(Record, Encoding.UTF8.GetString(bytes, r.RecordStart, r.RecordLength)));
        Assert.All(records, r => Assert.Equal("""{"type":"s"}""", Encoding.UTF8.GetString(bytes, r.DataStart, r.DataLength)));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("[" + Record, 35)]
    [InlineData("[1]", 1)]
    [InlineData(Record + " x", 35)]
    [InlineData("[" + Record + "] []", 37)]
    public void Should_say_where_a_body_stops_being_readable(string body, long position)
    {
        var error = Assert.Throws<LogStreamFormatException>(() => LogStreamParser.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(position, error.BytePosition);
    }

    [Fact]
    public void Should_refuse_nesting_deeper_than_64_and_invalid_utf8()
    {
        var deep = "[{\"data\":" + new string('[', 70) + new string(']', 70) + "}]";
        Assert.Throws<LogStreamFormatException>(() => LogStreamParser.Parse(Encoding.UTF8.GetBytes(deep)));

        var invalid = Encoding.UTF8.GetBytes("[{\"log_id\":\"ab\"}]");
        invalid[13] = 0xFF;
        Assert.Equal(13, Assert.Throws<LogStreamFormatException>(() => LogStreamParser.Parse(invalid)).BytePosition);
    }

    [Fact]
    public void Should_stop_at_the_record_limit()
    {
        var body = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("{}", 11)) + "]");

        Assert.Equal(10, Assert.Throws<TooManyRecordsException>(() => LogStreamParser.Parse(body, 10)).MaxRecords);
        Assert.Equal(11, LogStreamParser.Parse(body, 11).Count);
    }
}
