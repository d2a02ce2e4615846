using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Spiro.Core.Bundles;

namespace Spiro.Fuzz;

/// <summary>Fuzzes the bundle reader with mutated plain and gzip tars.</summary>
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
