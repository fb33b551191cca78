using System.Buffers;
using System.IO.Compression;
using EventHub.Contracts;
using Microsoft.AspNetCore.Http;

namespace EventHub.Auth0.LogStream;

/// <summary>
/// The request body as bytes in a pooled buffer, decompressed when <c>Content-Encoding: gzip</c>, never larger than the
/// limit on either side (so a gzip bomb stops at the limit). Dispose returns the buffer.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    byte[] _buffer;

    RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public static async Task<RequestBodyResult> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return RequestBodyResult.Fail(RequestBodyError.UnsupportedEncoding);
        if (request.ContentLength > maxBytes)
            return RequestBodyResult.Fail(RequestBodyError.TooLarge);

        var limit = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        var initial = request.ContentLength is > 0 and var declared && !gzip ? (int)Math.Min(declared + 1, limit + 1) : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        var compressedLength = 0L;
        try
        {
            await using var counted = new CountingStream(request.Body);
            await using Stream source = gzip ? new GZipStream(counted, CompressionMode.Decompress, leaveOpen: true) : counted;
            while (true)
            {
                if (length == buffer.Length)
                    buffer = Grow(buffer, limit);
                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                    break;
                length += read;
                compressedLength = counted.BytesRead;
                if (length > limit || compressedLength > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return RequestBodyResult.Fail(RequestBodyError.TooLarge);
                }
            }

            JsonEscapes.RepairLoneSurrogates(buffer.AsSpan(0, length));
            return RequestBodyResult.Ok(new RequestBody(buffer, length));
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return RequestBodyResult.Fail(RequestBodyError.InvalidGzip);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    static byte[] Grow(byte[] buffer, int limit)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Counts what was read from the wire, so the compressed size is limited too.</summary>
    sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are disabled on request bodies.");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
