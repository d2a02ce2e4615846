using System.Formats.Tar;
using Spiro.Testing.Tars;

namespace Spiro.Core.Tests.Releases;

/// <summary>Tar files with large on-disk members, and generated content, on top of the shared TestTar.</summary>
internal static class TestBundles
{
    /// <summary>Writes a tar file holding <paramref name="files"/> plus on-disk files added under their entry names.</summary>
    public static void WriteTarFile(string path, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string>? diskFiles = null)
    {
        using var output = File.Create(path);
        using (var small = TestTar.Stream(files))
        {
            // Copy every entry but the end-of-archive marker (two zero blocks), then append the big ones.
            small.SetLength(small.Length);
            var bytes = small.ToArray();
            output.Write(bytes, 0, TrimEndMarker(bytes));
        }

        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (entryName, source) in diskFiles ?? new Dictionary<string, string>())
        {
            writer.WriteEntry(source, entryName);
        }
    }

    /// <summary>A file of <paramref name="bytes"/> deterministic pseudo-random bytes, written in chunks.</summary>
    public static void WriteGeneratedFile(string path, long bytes, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var output = File.Create(path);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            output.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
        }
    }

    private static int TrimEndMarker(byte[] tar)
    {
        var end = tar.Length;
        while (end >= 512 && tar.AsSpan(end - 512, 512).IndexOfAnyExcept((byte)0) < 0)
        {
            end -= 512;
        }

        return end;
    }
}
