using System.Formats.Tar;
using System.Net;
using System.Text;
using Spiro.Testing.Tars;

namespace Spiro.Bench;

/// <summary>Bundles for the benchmarks: many small files on disk, or one huge file generated while it is sent.</summary>
internal static class BenchBundles
{
    /// <summary>Writes a tar of <paramref name="files"/> files totalling about <paramref name="totalBytes"/> (pseudo-random content, so nothing dedups).</summary>
    public static void WriteManyFiles(string path, int files, long totalBytes, int seed)
    {
        var random = new Random(seed);
        var size = (int)(totalBytes / files);
        var buffer = new byte[size];
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(buffer);
            TestTar.Add(writer, $"states/d{i / 500:D3}/f{i:D5}.sls", buffer);
        }
    }

    /// <summary>A raw tar body with one file of <paramref name="size"/> zero bytes, generated as it is sent.</summary>
    public sealed class HugeTar(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Header("huge.bin", size));
            var zeros = new byte[1 << 20];
            for (var left = size; left > 0; left -= zeros.Length)
            {
                await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(left, zeros.Length)));
            }

            await stream.WriteAsync(new byte[(int)((512 - (size % 512)) % 512) + 1024]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

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
            Put(148, Convert.ToString(header.Sum(b => (int)b), 8).PadLeft(6, '0') + "\0 ");
            return header;
        }
    }
}
