using System.Net;
using System.Text;

namespace Spiro.Server.Tests.Support;

/// <summary>
/// A multipart body (as python requests sends it) whose bundle is a tar holding one file of
/// <paramref name="size"/> zero bytes, generated while it is sent: nothing big is ever in memory.
/// </summary>
internal sealed class GeneratedTarContent(long size, string boundary) : HttpContent
{
    public long Sent { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await WriteAsync(stream, $"--{boundary}\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nbig\r\n");
        await WriteAsync(stream, $"--{boundary}\r\nContent-Disposition: form-data; name=\"deployment\"\r\n\r\ndev\r\n");
        await WriteAsync(stream, $"--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"bundle.tar\"\r\n\r\n");
        await stream.WriteAsync(Header("big.bin", size));
        var zeros = new byte[1 << 20];
        for (var left = size; left > 0; left -= zeros.Length)
        {
            var count = (int)Math.Min(left, zeros.Length);
            await stream.WriteAsync(zeros.AsMemory(0, count));
            Sent += count;
        }

        var padding = (int)((512 - (size % 512)) % 512);
        await stream.WriteAsync(new byte[padding + 1024]);
        await WriteAsync(stream, $"\r\n--{boundary}--\r\n");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>A ustar header for a regular file, mode 0644.</summary>
    private static byte[] Header(string name, long size)
    {
        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, "00000000000\0");
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        var checksum = header.Sum(b => (int)b);
        Put(148, Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
