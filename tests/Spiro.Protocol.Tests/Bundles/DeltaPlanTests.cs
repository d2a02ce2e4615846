using System.Formats.Tar;
using System.Runtime.Versioning;
using System.Text;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Deltas;

namespace Spiro.Protocol.Tests.Bundles;

/// <summary>
/// The negotiated upload's plan comes from walking the tree (statx, a hash cache) instead of
/// reading the bundle's tar back; it must describe exactly what <see cref="BundleBuilder"/> sends.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeltaPlanTests
{
    private sealed class RecordingHashes : IFileHashes
    {
        public Dictionary<string, (FileStamp Stamp, string Sha256)> Entries { get; } = new(StringComparer.Ordinal);

        public List<string> Hits { get; } = [];

        public bool TryGet(string fullPath, FileStamp stamp, out string sha256)
        {
            if (Entries.TryGetValue(fullPath, out var entry) && entry.Stamp == stamp)
            {
                Hits.Add(fullPath);
                sha256 = entry.Sha256;
                return true;
            }

            sha256 = "";
            return false;
        }

        public void Add(string fullPath, FileStamp stamp, string sha256) => Entries[fullPath] = (stamp, sha256);
    }

    private static BundleSpec Spec(SampleProject project, string? source, string? commit = "abc123\n") =>
        new(project.Root, "_salt", ["build/hello.txt", "build/dist"], source, commit);

    [Theory]
    [InlineData(null)]
    [InlineData("fs")]
    [InlineData("git")]
    public async Task PlanFromTheTree_EqualsThePlanReadBackFromTheBundleTar(string? source)
    {
        using var project = new SampleProject();
        project.Write("build/dist/tool", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(project.Root, "build/dist/tool"), (UnixFileMode)0b111_101_101);
        using (var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(project.Root, "build/dist/tool"), Path.Combine(project.Root, "build/dist/tool-again")]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        project.CommitAll();

        var fromTar = await DeltaBundle.PlanFromTarAsync(Spec(project, source), CancellationToken.None);
        var fromTree = await DeltaBundle.PlanAsync(Spec(project, source), new RecordingHashes(), CancellationToken.None);

        Assert.True(fromTar.Count > 10, $"the sample bundle has {fromTar.Count} entries");
        Assert.Equal(fromTar, fromTree);
    }

    [Fact]
    public async Task Plan_WithAHashCache_ReadsOnlyFilesWhoseStampChanged_AndSeesAContentChangeThatKeptSizeAndMtime()
    {
        using var project = new SampleProject();
        var hashes = new RecordingHashes();
        var first = await DeltaBundle.PlanAsync(Spec(project, null), hashes, CancellationToken.None);
        var init = Path.Combine(project.Root, "_salt/web/init.sls");
        var mtime = File.GetLastWriteTimeUtc(init);
        // Same size, same mtime: only ctime (and the content) tell the change apart.
        File.WriteAllText(init, "hello: test.bad\n"[..File.ReadAllText(init).Length]);
        File.SetLastWriteTimeUtc(init, mtime);

        var second = await DeltaBundle.PlanAsync(Spec(project, null), hashes, CancellationToken.None);

        var files = first.Count(e => e.Type == DeltaEntryTypes.File && e.Path != ".gitcommit");
        Assert.Equal(files - 1, hashes.Hits.Count);
        Assert.DoesNotContain(init, hashes.Hits);
        Assert.Equal(await DeltaBundle.PlanFromTarAsync(Spec(project, null), CancellationToken.None), second);
        Assert.NotEqual(first.Single(e => e.Path == "web/init.sls").Sha256, second.Single(e => e.Path == "web/init.sls").Sha256);
    }

    [Fact]
    public async Task Plan_NeverIncludesTheClientStateDirectory()
    {
        using var project = new SampleProject();
        project.Write(".spiro-deploy/hash-cache", "spiro-deploy hash cache v1\n");

        var plan = await DeltaBundle.PlanAsync(Spec(project, "fs"), null, CancellationToken.None);
        var tar = await DeltaBundle.PlanFromTarAsync(Spec(project, "fs"), CancellationToken.None);

        Assert.Contains(plan, e => e.Path == "_source/README.md");
        Assert.DoesNotContain(plan, e => e.Path.Contains(".spiro-deploy", StringComparison.Ordinal));
        Assert.Equal(tar, plan);
    }

    [Fact]
    public async Task WriteMissing_SendsOnlyTheMissingFiles_WithTheirContent()
    {
        using var project = new SampleProject();
        var plan = await DeltaBundle.PlanAsync(Spec(project, null), null, CancellationToken.None);
        var missing = new HashSet<int> { IndexOf(plan, "web/init.sls"), IndexOf(plan, ".gitcommit") };
        using var tar = new MemoryStream();

        await DeltaBundle.WriteMissingAsync(Spec(project, null), plan, missing, tar, CancellationToken.None);

        tar.Position = 0;
        using var reader = new TarReader(tar);
        var sent = new List<(string Name, string Content)>();
        while (reader.GetNextEntry() is { } entry)
        {
            sent.Add((entry.Name, new StreamReader(entry.DataStream!, Encoding.UTF8).ReadToEnd()));
        }

        Assert.Equal([("web/init.sls", "hello: test.nop\n"), (".gitcommit", "abc123\n")], sent);
    }

    [Fact]
    public async Task WriteMissing_WhenAMissingFileChangedSizeSinceThePlan_Fails()
    {
        using var project = new SampleProject();
        var plan = await DeltaBundle.PlanAsync(Spec(project, null), null, CancellationToken.None);
        project.Write("_salt/web/init.sls", "hello: test.nop\nmore: test.nop\n");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DeltaBundle.WriteMissingAsync(Spec(project, null), plan, new HashSet<int> { IndexOf(plan, "web/init.sls") }, Stream.Null, CancellationToken.None));

        Assert.Contains("changed while it was uploaded", failure.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(IReadOnlyList<DeltaEntry> plan, string path) => plan.Select((e, i) => (e, i)).Single(x => x.e.Path == path).i;
}
