using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Spiro.Deploy.Tests.Support;

/// <summary>Entry lists of tar files, normalised so equivalent archives compare equal.</summary>
internal static class TarEntries
{
    /// <summary>"d name", "f name" or "l name" per entry, sorted; <c>./</c> segments and trailing slashes removed.</summary>
    public static List<string> List(Stream tar)
    {
        var list = new List<string>();
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            var kind = entry.EntryType switch
            {
                TarEntryType.Directory => "d",
                TarEntryType.SymbolicLink or TarEntryType.HardLink => "l",
                _ => "f",
            };
            list.Add($"{kind} {Normalise(entry.Name)}");
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>
    /// The tree an archive extracts to: its entries plus every parent directory, so archives that
    /// differ only in listing directories explicitly compare equal.
    /// </summary>
    public static List<string> Tree(IEnumerable<string> entries)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            set.Add(entry);
            var name = entry[2..];
            for (var slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/'))
            {
                name = name[..slash];
                set.Add("d " + name);
            }
        }

        return [.. set];
    }

    public static List<string> ListFile(string path, bool gzip = false)
    {
        using var file = File.OpenRead(path);
        using var input = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return List(input);
    }

    /// <summary>The content of one entry as text, or null.</summary>
    public static string? Read(string path, string name, bool gzip = false)
    {
        using var file = File.OpenRead(path);
        using var input = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new TarReader(input);
        while (reader.GetNextEntry() is { } entry)
        {
            if (Normalise(entry.Name) == name && entry.DataStream is { } data)
            {
                return new StreamReader(data).ReadToEnd();
            }
        }

        return null;
    }

    /// <summary>Bundles with the original client's own code (tests/original-client/spiro_deploy.py) in <paramref name="repository"/> and lists what it built.</summary>
    public static List<string> Original(string repository, string saltDir, string? source, params string[] artifacts)
    {
        var output = Path.Combine(Path.GetTempPath(), $"original-{Guid.NewGuid():N}.tar");
        try
        {
            var start = new ProcessStartInfo("python3") { WorkingDirectory = repository, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "original-client", "spiro_deploy.py"), "bundle", output, saltDir, source ?? "-" }.Concat(artifacts))
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("the original client's bundling failed: " + error);
            }

            return ListFile(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string Normalise(string name)
    {
        var parts = name.Split('/').Where(p => p.Length > 0 && p != ".");
        return string.Join('/', parts);
    }
}
