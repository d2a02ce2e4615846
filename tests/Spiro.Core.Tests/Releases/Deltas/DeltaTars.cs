using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Releases.Deltas;

namespace Spiro.Core.Tests.Releases.Deltas;

/// <summary>
/// Test bundles for the negotiated upload: a tar with files, a directory and a symlink, the plan a
/// client would send for it (read back from the tar, as spiro-deploy does) and the upload of some of its files.
/// </summary>
internal static class DeltaTars
{
    /// <summary>A bundle tar: <paramref name="files"/> (path -> text; trailing '*' = executable), plus an empty directory and a symlink to the first file.</summary>
    public static byte[] Bundle(IReadOnlyDictionary<string, string> files)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "empty/") { Mode = (UnixFileMode)0b111_101_101 });
            foreach (var (spec, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, spec.TrimEnd('*'))
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    Mode = spec.EndsWith('*') ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                });
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link.sls") { LinkName = files.Keys.First().TrimEnd('*'), Mode = (UnixFileMode)0b111_111_111 });
        }

        return stream.ToArray();
    }

    public static List<PlannedEntry> Plan(byte[] bundle)
    {
        var plan = new List<PlannedEntry>();
        using var reader = new TarReader(new MemoryStream(bundle));
        while (reader.GetNextEntry() is { } entry)
        {
            plan.Add(entry.EntryType switch
            {
                TarEntryType.Directory => new PlannedEntry(entry.Name, PlannedKind.Directory, (int)entry.Mode, 0, null, null),
                TarEntryType.SymbolicLink => new PlannedEntry(entry.Name, PlannedKind.Symlink, (int)entry.Mode, 0, null, entry.LinkName),
                TarEntryType.HardLink => new PlannedEntry(entry.Name, PlannedKind.Hardlink, (int)entry.Mode, 0, null, entry.LinkName),
                _ => new PlannedEntry(entry.Name, PlannedKind.File, (int)entry.Mode, entry.Length, Sha(entry.DataStream), null),
            });
        }

        return plan;
    }

    /// <summary>The tar of the bundle's entries at <paramref name="indexes"/> (plan order), as the client uploads them.</summary>
    public static MemoryStream Upload(byte[] bundle, IEnumerable<int> indexes, Func<string, byte[], byte[]>? tamper = null)
    {
        var wanted = indexes.ToHashSet();
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var reader = new TarReader(new MemoryStream(bundle));
            var index = 0;
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (wanted.Contains(index++))
                {
                    using var content = new MemoryStream();
                    entry.DataStream?.CopyTo(content);
                    var bytes = tamper?.Invoke(entry.Name, content.ToArray()) ?? content.ToArray();
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { Mode = entry.Mode, DataStream = new MemoryStream(bytes) });
                }
            }
        }

        if (wanted.Count == 0)
        {
            output.Write(new byte[1024]);
        }

        output.Position = 0;
        return output;
    }

    public static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Sha(Stream? data) => Convert.ToHexStringLower(data is null ? SHA256.HashData([]) : SHA256.HashData(data));
}
