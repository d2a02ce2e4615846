using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Spiro.Core.Bundles;
using ZstdSharp;

namespace Spiro.Core.Tests.Bundles;

/// <summary>Builds test archives in memory (small ones) or as streams (huge ones).</summary>
internal static class TarFactory
{
    public static byte[] Tar(Action<TarWriter> write, TarEntryFormat format = TarEntryFormat.Pax)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, format, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static byte[] Compress(byte[] tar, BundleFormat format)
    {
        if (format == BundleFormat.Tar)
        {
            return tar;
        }

        using var buffer = new MemoryStream();
        using (var compressor = Compressor(buffer, format))
        {
            compressor.Write(tar);
        }

        return buffer.ToArray();
    }

    /// <summary>A write stream that compresses into <paramref name="output"/> (or passes through for plain tar).</summary>
    public static Stream Compressor(Stream output, BundleFormat format) => format switch
    {
        BundleFormat.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        BundleFormat.Zstd => new CompressionStream(output, level: 3, leaveOpen: true),
        _ => new NonClosingStream(output),
    };

    public static PaxTarEntry File(string name, string content = "x", UnixFileMode? mode = null)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
        if (mode is { } m)
        {
            entry.Mode = m;
        }

        return entry;
    }

    public static PaxTarEntry File(string name, byte[] content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    public static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name);

    public static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static PaxTarEntry Hardlink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };

    /// <summary>Lets a using block around plain-tar output end without closing the caller's stream.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
