using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Bundles;
using static Spiro.Core.Tests.Bundles.TarFactory;

namespace Spiro.Core.Tests.Bundles;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ValidBundleTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const UnixFileMode Rwxr_xr_x = (UnixFileMode)0b111_101_101;

    public static TheoryData<BundleFormat> Formats() => [BundleFormat.Tar, BundleFormat.Gzip, BundleFormat.Zstd];

    private static async Task<BundleReadResult.Accepted> ExtractAsync(TestDirectory dir, byte[] tar, BundleFormat format)
    {
        var result = await new BundleReader().ExtractAsync(new MemoryStream(Compress(tar, format)), dir.Staging, CancellationToken.None);
        return Assert.IsType<BundleReadResult.Accepted>(result);
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Extract_WithTypicalBundle_WritesTreeAndSortedManifest(BundleFormat format)
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(Dir("./"));
            w.WriteEntry(File("./spirotop.sls", "prod: {}\n"));
            w.WriteEntry(Dir("web/"));
            w.WriteEntry(File("web/init.sls", "nginx: pkg.installed\n"));
            w.WriteEntry(File("_artifacts/build/app.sh", "#!/bin/sh\n", Rwxr_xr_x));
            w.WriteEntry(Dir("web/empty/"));
            w.WriteEntry(File(".gitcommit", "0123abcd\nheads/main\n"));
        });

        var accepted = await ExtractAsync(dir, tar, format);

        Assert.Equal(
            [
                new(".gitcommit", EntryKind.File, 20, false, Sha256("0123abcd\nheads/main\n")),
                new("_artifacts", EntryKind.Directory, 0, true, null),
                new("_artifacts/build", EntryKind.Directory, 0, true, null),
                new("_artifacts/build/app.sh", EntryKind.File, 10, true, Sha256("#!/bin/sh\n")),
                new("spirotop.sls", EntryKind.File, 9, false, Sha256("prod: {}\n")),
                new("web", EntryKind.Directory, 0, true, null),
                new("web/empty", EntryKind.EmptyDirectory, 0, true, null),
                new("web/init.sls", EntryKind.File, 21, false, Sha256("nginx: pkg.installed\n")),
            ],
            accepted.Entries);
        Assert.Equal(20 + 10 + 9 + 21, accepted.TotalBytes);
        Assert.Equal("0123abcd\nheads/main\n", accepted.GitCommit);
        Assert.Equal("nginx: pkg.installed\n", await System.IO.File.ReadAllTextAsync(Path.Combine(dir.Staging, "web/init.sls")));
        Assert.True(Directory.Exists(Path.Combine(dir.Staging, "web/empty")));
        Assert.Empty(dir.Leftovers());
    }

    [Fact]
    public async Task Extract_GivesEntriesInTheFormTheStoreWouldNormaliseThemTo()
    {
        // The store skips normalising the reader's entries (see StagedRelease.EntriesNormalised): they must already be that form.
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(File("a/b/c/deep.sls", "x"));
            w.WriteEntry(Dir("./a/"));
            w.WriteEntry(File("a-b", "y"));
            w.WriteEntry(File("a.b", "z"));
            w.WriteEntry(Dir("empty/"));
            w.WriteEntry(Dir("a/b/also-empty"));
            w.WriteEntry(Symlink("a/link.sls", "b/c/deep.sls"));
            w.WriteEntry(Hardlink("hard.sls", "a-b"));
            w.WriteEntry(File(".//x/./y.sls", "w"));
        });

        var accepted = await ExtractAsync(dir, tar, BundleFormat.Tar);

        Assert.Equal(Spiro.Core.Releases.Manifests.ManifestEntries.Normalise(accepted.Entries), accepted.Entries);
        Assert.Equal(12, accepted.Entries.Count);
    }

    [Fact]
    public async Task Extract_KeepsExecBitAndMakesEveryFileReadOnly()
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(File("run.sh", "#!/bin/sh\n", Rwxr_xr_x));
            w.WriteEntry(File("owner-exec-only", "x", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            w.WriteEntry(File("plain.sls", "x", (UnixFileMode)0b110_110_110));
        });

        var accepted = await ExtractAsync(dir, tar, BundleFormat.Tar);

        Assert.Equal((UnixFileMode)0b101_101_101, System.IO.File.GetUnixFileMode(Path.Combine(dir.Staging, "run.sh")));
        Assert.Equal((UnixFileMode)0b101_101_101, System.IO.File.GetUnixFileMode(Path.Combine(dir.Staging, "owner-exec-only")));
        Assert.Equal((UnixFileMode)0b100_100_100, System.IO.File.GetUnixFileMode(Path.Combine(dir.Staging, "plain.sls")));
        Assert.Equal(
            [("owner-exec-only", true), ("plain.sls", false), ("run.sh", true)],
            accepted.Entries.Select(e => (e.Path, e.Executable)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Extract_WithUnicodeNames_KeepsThemExactly(BundleFormat format)
    {
        using var dir = new TestDirectory();
        string[] names = ["états/café.sls", "日本語/テスト.sls", "emoji/🚀.txt", "mixed/ñ-ü-ß.sls"];
        var tar = Tar(w =>
        {
            foreach (var name in names)
            {
                w.WriteEntry(File(name, name));
            }
        });

        var accepted = await ExtractAsync(dir, tar, format);

        foreach (var name in names)
        {
            Assert.Contains(accepted.Entries, e => e.Path == name && e.Kind == EntryKind.File && e.Sha256 == Sha256(name));
            Assert.Equal(name, await System.IO.File.ReadAllTextAsync(Path.Combine(dir.Staging, name)));
        }
    }

    [Fact]
    public async Task Extract_WithZeroByteFiles_RecordsEmptyHash()
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "empty.sls"));
            w.WriteEntry(File("sub/also-empty", []));
        });

        var accepted = await ExtractAsync(dir, tar, BundleFormat.Gzip);

        Assert.All(accepted.Entries.Where(e => e.Kind == EntryKind.File), e => Assert.Equal((0L, EmptySha256), (e.Size, e.Sha256)));
        Assert.Equal(0, new FileInfo(Path.Combine(dir.Staging, "empty.sls")).Length);
        Assert.Equal(0, accepted.TotalBytes);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Extract_WithInternalLinks_PublishesThemAsRegularFiles(BundleFormat format)
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(Symlink("before/link.sls", "../files/target.sls")); // target comes later
            w.WriteEntry(File("files/target.sls", "content\n", Rwxr_xr_x));
            w.WriteEntry(Symlink("after.sls", "files/target.sls"));
            w.WriteEntry(Symlink("chain.sls", "after.sls"));
            w.WriteEntry(Hardlink("hard.sls", "files/target.sls"));
        });

        var accepted = await ExtractAsync(dir, tar, format);

        foreach (var path in new[] { "before/link.sls", "after.sls", "chain.sls", "hard.sls" })
        {
            var full = Path.Combine(dir.Staging, path);
            Assert.Null(new FileInfo(full).LinkTarget);
            Assert.Equal("content\n", await System.IO.File.ReadAllTextAsync(full));
            Assert.Equal((UnixFileMode)0b101_101_101, System.IO.File.GetUnixFileMode(full));
            Assert.Contains(new ManifestEntry(path, EntryKind.File, 8, true, Sha256("content\n")), accepted.Entries);
        }

        Assert.Equal(5 * 8, accepted.TotalBytes);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Staging, "*", SearchOption.AllDirectories), p => new FileInfo(p).LinkTarget is not null);
    }

    [Fact]
    public async Task Extract_IgnoresPaxGlobalHeadersAndRootEntries()
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "git archive" }));
            w.WriteEntry(Dir("."));
            w.WriteEntry(File("./top.sls", "base: {}\n"));
        });

        var accepted = await ExtractAsync(dir, tar, BundleFormat.Tar);

        Assert.Equal(["top.sls"], accepted.Entries.Select(e => e.Path));
        Assert.Null(accepted.GitCommit);
    }

    [Fact]
    public async Task Extract_WithGnuAndUstarFormats_ReadsLongNames()
    {
        using var dir = new TestDirectory();
        var longName = string.Join('/', Enumerable.Repeat("segment-of-forty-characters-long-padding", 5)) + "/file.sls";
        var gnu = Tar(w => w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream("g"u8.ToArray()) }), TarEntryFormat.Gnu);

        var accepted = await ExtractAsync(dir, gnu, BundleFormat.Zstd);

        Assert.Contains(accepted.Entries, e => e.Path == longName && e.Size == 1);
    }

    [Fact]
    public async Task Extract_WithOnlyTheEndMarker_AcceptsAnEmptyBundle()
    {
        using var dir = new TestDirectory();

        var accepted = await ExtractAsync(dir, new byte[1024], BundleFormat.Tar);

        Assert.Empty(accepted.Entries);
        Assert.True(Directory.Exists(dir.Staging));
    }

    [Fact]
    public async Task Extract_WithLinkToAnEmptyFile_CopiesTheEmptyFile()
    {
        using var dir = new TestDirectory();
        var tar = Tar(w =>
        {
            w.WriteEntry(Symlink("alias", "empty"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "empty") { Mode = Rwxr_xr_x });
        });

        var accepted = await ExtractAsync(dir, tar, BundleFormat.Tar);

        Assert.Equal(
            [new("alias", EntryKind.File, 0, true, EmptySha256), new("empty", EntryKind.File, 0, true, EmptySha256)],
            accepted.Entries);
        Assert.Equal((UnixFileMode)0b101_101_101, System.IO.File.GetUnixFileMode(Path.Combine(dir.Staging, "alias")));
    }

    [Fact]
    public async Task Extract_WhenCancelled_ThrowsAndRemovesStaging()
    {
        using var dir = new TestDirectory();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var tar = Tar(w => w.WriteEntry(File("a.sls", new byte[4096])));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BundleReader().ExtractAsync(new MemoryStream(tar), dir.Staging, cancelled.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }
}
