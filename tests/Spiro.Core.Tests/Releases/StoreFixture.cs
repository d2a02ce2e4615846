using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Tests.Releases;

/// <summary>A temp data directory, a store on it, and a way to publish a literal tree through the pipeline's second half.</summary>
internal sealed class StoreFixture : IDisposable
{
    private int _trees;

    public StoreFixture(int keepReleases = 10, TimeSpan? lockTimeout = null)
    {
        Root = Directory.CreateTempSubdirectory("spiro-store-").FullName;
        Options = new StoreOptions { DataDirectory = Path.Combine(Root, "data"), KeepReleases = keepReleases, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) };
        Store = ReleaseStore.Open(Options, TimeProvider.System);
    }

    public string Root { get; }

    public StoreOptions Options { get; }

    public ReleaseStore Store { get; private set; }

    public string Data => Options.DataDirectory;

    public static SaltEnvName Env(string saltEnv) => SaltEnvName.TryParse(saltEnv, out var error) ?? throw new ArgumentException(error);

    public ReleaseStore Reopen(StoreOptions? options = null)
    {
        SqliteConnection.ClearAllPools();
        Store = ReleaseStore.Open(options ?? Options, TimeProvider.System);
        return Store;
    }

    /// <summary>Publishes <paramref name="files"/> (path -> content; a trailing '*' on the path marks it executable).</summary>
    public async Task<ReleaseInfo> PublishAsync(string saltEnv, IReadOnlyDictionary<string, string> files, string? gitCommit = null, TopKind top = TopKind.None, params string[] emptyDirectories)
    {
        var (tree, entries) = WriteTree(files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value)), emptyDirectories);
        var result = await Store.PublishExtractedAsync(Env(saltEnv), tree, entries, gitCommit, top, new PublishContext("test"), CancellationToken.None);
        return Assert.IsType<PublishResult.Published>(result).Release;
    }

    public (string Tree, List<ManifestEntry> Entries) WriteTree(IReadOnlyDictionary<string, byte[]> files, params string[] emptyDirectories)
    {
        var tree = Path.Combine(Data, "staging", $"test-tree-{Interlocked.Increment(ref _trees)}");
        var entries = new List<ManifestEntry>();
        foreach (var (spec, content) in files)
        {
            var executable = spec.EndsWith('*');
            var path = spec.TrimEnd('*');
            var full = Path.Combine(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
            entries.Add(new ManifestEntry(path, EntryKind.File, content.Length, executable, Convert.ToHexStringLower(SHA256.HashData(content))));
        }

        foreach (var directory in emptyDirectories)
        {
            Directory.CreateDirectory(Path.Combine(tree, directory));
            entries.Add(new ManifestEntry(directory, EntryKind.EmptyDirectory, 0, true, null));
        }

        Directory.CreateDirectory(tree);
        return (tree, entries);
    }

    public string LinkTarget(string saltEnv) => new FileInfo(Path.Combine(Data, "envs", saltEnv)).LinkTarget ?? "";

    public string ReadLive(string saltEnv, string path) => File.ReadAllText(Path.Combine(Data, "envs", saltEnv, path));

    /// <summary>Inode number and link count through stat(1): .NET exposes neither.</summary>
    public static (long Inode, int Links) Stat(string path)
    {
        var output = Run("stat", "-c", "%i %h", path).Split(' ');
        return (long.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Spiro.Core.Releases.Layout.DurableFs.RemoveTree(Root);
    }
}
