using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Spiro.Core.Bundles;

namespace Spiro.Fuzz;

/// <summary>Fuzzes the bundle reader (its tar parser, TarStreamReader, and the rules) with mutated plain and gzip tars.</summary>
internal static class TarFuzz
{
    public static async Task<int> RunAsync(Random random, int runs)
    {
        var seeds = new[] { Tar(TarEntryFormat.Pax), Tar(TarEntryFormat.Gnu), Tar(TarEntryFormat.Ustar) };
        var alphabet = Encoding.ASCII.GetBytes("0123456789 \0/.x");
        var root = Directory.CreateTempSubdirectory("spiro-fuzz-").FullName;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new BundleReader(new BundleLimits { MaxTotalBytes = 64L << 20, MaxFileBytes = 16L << 20 });
        try
        {
            for (var run = 0; run < runs; run++)
            {
                var input = Mutator.Mutate(random, seeds[random.Next(seeds.Length)], alphabet);
                if (random.Next(2) == 0)
                {
                    // Most mutations break a header checksum, and the parser stops there: repair them, so half
                    // the runs reach the fields, metadata entries and rules behind the checksum.
                    FixChecksums(input);
                }
                if (random.Next(4) == 0)
                {
                    input = Gzip(input);
                }

                var staging = Path.Combine(root, run.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    var result = await reader.ExtractAsync(new MemoryStream(input), staging, CancellationToken.None);
                    YamlFuzz.Count(outcomes, result is BundleReadResult.Rejected rejected ? rejected.Rule : "accepted");
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"run {run}: {e.GetType().Name}: {e.Message}\ninput: {input.Length} bytes, {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 64)))}...");
                    return 1;
                }
                finally
                {
                    if (Directory.Exists(staging))
                    {
                        Directory.Delete(staging, recursive: true);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        Console.WriteLine(string.Join(" ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));
        return 0;
    }

    private static byte[] Tar(TarEntryFormat format)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, format, leaveOpen: true))
        {
            writer.WriteEntry(Entry(format, TarEntryType.Directory, "web/"));
            writer.WriteEntry(Entry(format, TarEntryType.RegularFile, "web/init.sls", "pkg.installed: []\n"));
            writer.WriteEntry(Entry(format, TarEntryType.RegularFile, "spirotop.sls", "dev: {'*': [web]}\n"));
            // Past the 100-byte name field: a ustar prefix, a GNU 'L' entry or a PAX path record, each a parser path to mutate.
            writer.WriteEntry(Entry(format, TarEntryType.RegularFile, string.Concat(Enumerable.Repeat("deep/", 24)) + "long.sls", "x: 1\n"));
            var link = Entry(format, TarEntryType.SymbolicLink, "web/alias.sls");
            link.LinkName = "init.sls";
            writer.WriteEntry(link);
        }

        return buffer.ToArray();
    }

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name, string? text = null)
    {
        TarEntry entry = format switch
        {
            TarEntryFormat.Pax => new PaxTarEntry(type, name),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            _ => new UstarTarEntry(type, name),
        };
        if (text is not null)
        {
            entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        }

        return entry;
    }

    /// <summary>Rewrites the checksum field of every non-zero 512-byte block (data blocks too: it is all input to mutate).</summary>
    private static void FixChecksums(byte[] tar)
    {
        for (var offset = 0; offset + 512 <= tar.Length; offset += 512)
        {
            var block = tar.AsSpan(offset, 512);
            if (!block.ContainsAnyExcept((byte)0))
            {
                continue;
            }

            block.Slice(148, 8).Fill((byte)' ');
            var sum = 0;
            foreach (var b in block)
            {
                sum += b;
            }

            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block[148..]);
        }
    }

    private static byte[] Gzip(byte[] input)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(input);
        }

        return buffer.ToArray();
    }
}
