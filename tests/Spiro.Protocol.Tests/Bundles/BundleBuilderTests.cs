using System.Formats.Tar;
using System.Runtime.Versioning;
using System.Text;
using Spiro.Protocol.Bundles;

namespace Spiro.Protocol.Tests.Bundles;

[UnsupportedOSPlatform("windows")]
public sealed class BundleBuilderTests
{
    private static readonly string[] SaltEntries =
    [
        "alias.sls -> web/init.sls",
        "run.sh",
        "spirotop.sls",
        "web/",
        "web/empty/",
        "web/init.sls",
    ];

    private sealed record Entry(string Name, TarEntryType Type, string LinkName, UnixFileMode Mode, string Content);

    private static async Task<List<Entry>> BuildAsync(BundleSpec spec)
    {
        // A non-seekable output proves the builder streams: no seeking back, no length needed.
        using var buffer = new MemoryStream();
        await BundleBuilder.WriteAsync(spec, new ForwardOnlyStream(buffer), CancellationToken.None);
        buffer.Position = 0;
        var entries = new List<Entry>();
        using var reader = new TarReader(buffer);
        while (reader.GetNextEntry() is { } entry)
        {
            var content = entry.DataStream is null ? "" : new StreamReader(entry.DataStream, Encoding.UTF8).ReadToEnd();
            entries.Add(new Entry(entry.Name, entry.EntryType, entry.LinkName, entry.Mode, content));
        }

        return entries;
    }

    private static string[] Names(IEnumerable<Entry> entries) =>
        [.. entries.Select(e => e.Type == TarEntryType.SymbolicLink ? $"{e.Name} -> {e.LinkName}" : e.Name)];

    [Fact]
    public async Task WriteAsync_PutsSaltContentAtRootThenArtifactsThenGitCommit()
    {
        using var project = new SampleProject();
        project.CommitAll();
        var commit = await GitCommitText.ReadAsync(project.Root, CancellationToken.None);

        var entries = await BuildAsync(new BundleSpec(project.Root, "_salt", ["build/hello.txt", "build/dist"], null, commit.Content));

        Assert.Equal(
            [.. SaltEntries, "_artifacts/build/hello.txt", "_artifacts/build/dist/", "_artifacts/build/dist/app.bin", ".gitcommit"],
            Names(entries));
        Assert.Equal("hello\n", entries.Single(e => e.Name == "_artifacts/build/hello.txt").Content);
        Assert.Equal(commit.Content, entries.Single(e => e.Name == ".gitcommit").Content);
        Assert.Equal(TarEntryType.Directory, entries.Single(e => e.Name == "web/").Type);
    }

    [Fact]
    public async Task WriteAsync_KeepsExecBitsAndSymlinks()
    {
        using var project = new SampleProject();

        var entries = await BuildAsync(new BundleSpec(project.Root, "_salt", [], null, null));

        Assert.True(entries.Single(e => e.Name == "run.sh").Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.False(entries.Single(e => e.Name == "spirotop.sls").Mode.HasFlag(UnixFileMode.UserExecute));
        var alias = entries.Single(e => e.Name == "alias.sls");
        Assert.Equal((TarEntryType.SymbolicLink, "web/init.sls"), (alias.Type, alias.LinkName));
        Assert.DoesNotContain(entries, e => e.Name.StartsWith("./", StringComparison.Ordinal) || e.Name == ".gitcommit");
    }

    [Fact]
    public async Task WriteAsync_WithSourceFromFileSystem_SkipsGitAndSaltDirectories()
    {
        using var project = new SampleProject();
        project.CommitAll();
        project.Write("untracked.txt", "u");

        var entries = await BuildAsync(new BundleSpec(project.Root, "_salt", [], BundleBuilder.SourceFromFileSystem, null));

        Assert.Equal(
            [.. SaltEntries, "_source/", "_source/README.md", "_source/build/", "_source/build/dist/", "_source/build/dist/app.bin", "_source/build/hello.txt", "_source/src/", "_source/src/main.c", "_source/untracked.txt"],
            Names(entries));
    }

    [Fact]
    public async Task WriteAsync_WithSourceFromGit_BundlesOnlyTrackedFilesOutsideSalt()
    {
        using var project = new SampleProject();
        project.Write(".gitignore", "build/\n");
        project.CommitAll();
        project.Write("untracked.txt", "u");

        var entries = await BuildAsync(new BundleSpec(project.Root, "_salt", [], BundleBuilder.SourceFromGit, null));

        Assert.Equal([.. SaltEntries, "_source/.gitignore", "_source/README.md", "_source/src/main.c"], Names(entries));
    }

    [Fact]
    public async Task GitCommitText_InRepository_IsHashNewlineDescribe()
    {
        using var project = new SampleProject();
        project.CommitAll();
        var head = project.Git("rev-parse", "HEAD").Trim();

        var commit = await GitCommitText.ReadAsync(project.Root, CancellationToken.None);

        Assert.Equal($"{head}\nheads/main\n", commit.Content);
        Assert.Null(commit.Reason);
        Assert.Matches("^[0-9a-f]{40}$", head);
    }

    [Fact]
    public async Task GitCommitText_OutsideRepository_IsNullWithReason()
    {
        using var project = new SampleProject();

        var commit = await GitCommitText.ReadAsync(project.Root, CancellationToken.None);

        Assert.Null(commit.Content);
        Assert.Contains("no git commit", commit.Reason);
    }

    [Theory]
    [InlineData("_nosalt", new string[0], null, "salt directory '_nosalt' does not exist")]
    [InlineData("_salt", new[] { "../outside.txt" }, null, "artifact '../outside.txt' is outside the project directory")]
    [InlineData("_salt", new[] { "build/missing.bin" }, null, "artifact 'build/missing.bin' does not exist")]
    [InlineData("_salt", new string[0], "svn", "include-source must be 'git' or 'fs', not 'svn'")]
    public async Task Validate_WithBadSpec_ExplainsAndWriteAsyncRefuses(string salt, string[] artifacts, string? source, string expected)
    {
        using var project = new SampleProject();
        var spec = new BundleSpec(project.Root, salt, artifacts, source, null);

        Assert.StartsWith(expected, BundleBuilder.Validate(spec));
        await Assert.ThrowsAsync<ArgumentException>(() => BundleBuilder.WriteAsync(spec, Stream.Null, CancellationToken.None));
    }

    /// <summary>Write-only and unseekable, like a network stream or pipe.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
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
    }
}
