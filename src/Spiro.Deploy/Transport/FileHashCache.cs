using System.Globalization;
using Spiro.Protocol.Bundles;

namespace Spiro.Deploy.Transport;

/// <summary>
/// spiro-deploy's hash cache (<c>.spiro-deploy/hash-cache</c> in the project, never bundled): the
/// sha256 of each file planned last time, keyed by its path and <see cref="FileStamp"/> (device,
/// inode, size, mtime and ctime in nanoseconds), so a redeploy hashes only files that changed.
/// A file changed within <see cref="RacyMargin"/> of being hashed is not remembered: a second write
/// inside the same timestamp tick would leave its stamp as it was. Only the files of this run are
/// written back, so the cache holds one bundle's worth. A missing, unreadable or malformed cache
/// is an empty one; this is an optimisation, never a source of truth the server relies on.
/// </summary>
internal sealed class FileHashCache(string path, TimeProvider time) : IFileHashes
{
    /// <summary>The cache's name under <see cref="BundleBuilder.ClientStateDirectory"/>.</summary>
    public const string FileName = "hash-cache";

    private const string Header = "spiro-deploy hash cache v1";

    // A cache this large is not one spiro-deploy wrote for a bundle within the server's limits.
    private const long MaxBytes = 256L << 20;

    private static readonly TimeSpan RacyMargin = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (FileStamp Stamp, string Sha256)> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FileStamp Stamp, string Sha256)> _used = new(StringComparer.Ordinal);
    private readonly long _trustedBeforeNs = (time.GetUtcNow() - RacyMargin).ToUnixTimeMilliseconds() * 1_000_000L;

    /// <summary>Files answered from the cache in this run.</summary>
    public int Hits { get; private set; }

    public string Path => path;

    /// <summary>The project's cache, loaded (empty when there is none or it cannot be read).</summary>
    public static FileHashCache Open(string projectDirectory, TimeProvider time)
    {
        var cache = new FileHashCache(System.IO.Path.Combine(projectDirectory, BundleBuilder.ClientStateDirectory, FileName), time);
        cache.Load();
        return cache;
    }

    public bool TryGet(string fullPath, FileStamp stamp, out string sha256)
    {
        if (_loaded.TryGetValue(fullPath, out var cached) && cached.Stamp == stamp)
        {
            sha256 = cached.Sha256;
            _used[fullPath] = cached;
            Hits++;
            return true;
        }

        sha256 = "";
        return false;
    }

    public void Add(string fullPath, FileStamp stamp, string sha256)
    {
        if (Math.Max(stamp.ModifiedNs, stamp.ChangedNs) < _trustedBeforeNs && !fullPath.Contains('\n', StringComparison.Ordinal))
        {
            _used[fullPath] = (stamp, sha256);
        }
    }

    /// <summary>Writes this run's entries (temp file and rename, so a crash leaves the old cache or the new one).</summary>
    /// <exception cref="IOException">The project directory is not writable, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">The project directory is not writable.</exception>
    public void Save()
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var ignore = System.IO.Path.Combine(directory, ".gitignore");
        if (!File.Exists(ignore))
        {
            // Keeps the cache out of `git status` (and so out of --include-source git) in a checkout.
            File.WriteAllText(ignore, "*\n");
        }

        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, append: false))
        {
            writer.WriteLine(Header);
            foreach (var (file, (stamp, sha)) in _used)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{sha}\t{stamp.Device}\t{stamp.Inode}\t{stamp.Mode}\t{stamp.Size}\t{stamp.ModifiedNs}\t{stamp.ChangedNs}\t{file}"));
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private void Load()
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return;
            }

            using var reader = new StreamReader(path);
            if (reader.ReadLine() != Header)
            {
                return;
            }

            while (reader.ReadLine() is { } line)
            {
                if (Parse(line) is { } entry)
                {
                    _loaded[entry.Path] = (entry.Stamp, entry.Sha256);
                }
            }
        }
        catch (IOException)
        {
            _loaded.Clear();
        }
        catch (UnauthorizedAccessException)
        {
            _loaded.Clear();
        }
    }

    private static (string Path, FileStamp Stamp, string Sha256)? Parse(string line)
    {
        var fields = line.Split('\t', 8);
        if (fields.Length != 8 || fields[0].Length != 64 || !fields[0].All(char.IsAsciiHexDigitLower)
            || !ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            || !ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var mode)
            || !long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(fields[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified)
            || !long.TryParse(fields[6], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var changed))
        {
            return null;
        }

        return (fields[7], new FileStamp(device, inode, mode, size, modified, changed), fields[0]);
    }
}
