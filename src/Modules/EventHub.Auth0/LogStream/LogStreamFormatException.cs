namespace EventHub.Auth0.LogStream;

/// <summary>The body is not JSON, or not one of Auth0's three shapes; <see cref="BytePosition"/> says where it failed.</summary>
internal sealed class LogStreamFormatException(string message, long bytePosition, Exception? inner = null)
    : Exception(message, inner)
{
    public long BytePosition { get; } = bytePosition;
}
