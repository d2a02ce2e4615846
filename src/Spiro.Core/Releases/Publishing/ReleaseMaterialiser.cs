using Spiro.Core.Bundles;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Publishing;

/// <summary>
/// The second half of every publish (bundle or promote): objects, sealed tree, durable manifest,
/// pointer flip, history, audit, retention. The caller holds the saltenv's lock. Until the flip
/// everything lives in staging or is unreferenced, so a failure or crash leaves the live release
/// as it was; after the flip the manifest alone is enough for recovery to record the release.
/// </summary>
internal sealed class ReleaseMaterialiser(StoreServices store)
{
    public async Task<MaterialisedRelease> MaterialiseAsync(StagedRelease staged, PublishContext context, string how, CancellationToken cancellationToken)
    {
        var manifest = new ReleaseManifest(
            staged.Id, staged.SaltEnv, staged.Created, how, context.Actor, staged.SourceCommit, staged.Top, staged.PromotedFrom,
            staged.EntriesNormalised ? staged.Entries : ManifestEntries.Normalise(staged.Entries));
        var previous = store.Live(staged.SaltEnv);
        string? shareWarning = null;

        using (await store.HoldObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            var stagedManifest = Path.Combine(staged.WorkDirectory, "manifest.json");
            await MakeDurableAsync(staged, manifest, stagedManifest, cancellationToken).ConfigureAwait(false);
            MoveIntoReleases(staged, stagedManifest);

            // Served to Salt only through its check saltenv until the flip (docs/security.md).
            if (staged.RenderCheck && context.RenderGate is { } gate
                && await RenderRefusalAsync(gate, staged, context, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return new MaterialisedRelease(null, [], refusal);
            }

            if (context.Candidate)
            {
                return await KeepCandidateAsync(staged, manifest, previous, context, cancellationToken).ConfigureAwait(false);
            }

            if (store.Sharing is { } sharing)
            {
                shareWarning = await ShareBeforeFlipAsync(sharing, staged, manifest, how, context, previous, cancellationToken).ConfigureAwait(false);
            }

            FaultPoints.Hit("flip");
            Flip(staged.SaltEnv, staged.Id);
        }

        return RecordAfterFlip(staged, manifest, previous, how, context, shareWarning);
    }

    /// <summary>Objects adopted, the tree sealed and the manifest written in staging, all made durable by one syncfs.</summary>
    private async Task MakeDurableAsync(StagedRelease staged, ReleaseManifest manifest, string stagedManifest, CancellationToken cancellationToken)
    {
        FaultPoints.Hit("objects");
        // The JSON needs nothing adoption and sealing change: it is written on the other core
        // meanwhile (the bundle reader's writer thread is done by now), off the publish's critical path.
        var manifestWritten = Task.Run(() => DurableFs.WriteDurably(stagedManifest, stream => ManifestJson.Write(stream, manifest)), CancellationToken.None);
        try
        {
            AdoptObjects(staged.Tree, manifest.Entries, staged.ObjectPaths, cancellationToken);

            FaultPoints.Hit("tree");
            SealDirectories(staged.Tree, manifest.Entries);
        }
        finally
        {
            // Never left writing into a staging directory the caller is about to remove; its own failure is rethrown below.
            await manifestWritten.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        FaultPoints.Hit("manifest");
        await manifestWritten.ConfigureAwait(false);
        // One syncfs makes every object and tree entry durable before anything points at them.
        DurableFs.SyncFileSystem(store.Layout.Root);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The manifest and the tree move from staging into <c>manifests/</c> and <c>releases/</c>; nothing points at them yet.</summary>
    private void MoveIntoReleases(StagedRelease staged, string stagedManifest)
    {
        var layout = store.Layout;
        FaultPoints.Hit("release");
        DurableFs.Rename(stagedManifest, layout.Manifest(staged.Id));
        DurableFs.FsyncDirectory(layout.Manifests);
        DurableFs.Rename(staged.Tree, layout.ReleaseTree(staged.Id));
        // The root is made read-only only once it is in place (moving a directory to another
        // parent needs write permission on it for non-root users), then fsynced itself so
        // the mode is durable before the flip: a crash after it cannot leave a live 0755 root.
        DurableFs.SetMode(layout.ReleaseTree(staged.Id), DurableFs.ReadOnlyDirectory);
        DurableFs.FsyncDirectory(layout.ReleaseTree(staged.Id));
        DurableFs.FsyncDirectory(layout.Releases);
    }

    /// <summary>A plan's candidate: kept in <c>releases/</c> without a flip.</summary>
    private async Task<MaterialisedRelease> KeepCandidateAsync(StagedRelease staged, ReleaseManifest manifest, string? previous, PublishContext context, CancellationToken cancellationToken)
    {
        if (store.Sharing is { } planSharing)
        {
            // A plan can be applied through any master: its content and manifest go to the cluster too (no pointer moves).
            try
            {
                await planSharing.UploadAsync(SharedContent(manifest), cancellationToken).ConfigureAwait(false);
                planSharing.ShareManifest(null, manifest.SaltEnv, manifest.Release, ManifestJson.ToText(manifest));
            }
            catch
            {
                TakeOutOfReleases(staged);
                throw;
            }
        }

        return new MaterialisedRelease(StoreCandidate(staged, manifest, previous, context), []);
    }

    /// <summary>
    /// A cluster records the release and its pointer before any master serves it; if that fails,
    /// this master never served it either. When whether it was recorded is not known, the release
    /// stays in releases/: if it was, this master follows to it.
    /// </summary>
    private async Task<string?> ShareBeforeFlipAsync(Sharing.IReleaseSharing sharing, StagedRelease staged, ReleaseManifest manifest, string how, PublishContext context, string? previous, CancellationToken cancellationToken)
    {
        try
        {
            return await ShareAsync(sharing, manifest, History(staged.SaltEnv, staged.Id, how, context, previous), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not Sharing.SharedCommitUnknownException)
        {
            TakeOutOfReleases(staged);
            throw;
        }
    }

    /// <summary>
    /// History, audit and retention once the release is live: a failure of this bookkeeping must
    /// not report the publish as failed (CI would skip the highstate of a release Salt already
    /// serves). It becomes a warning; start-up recovery records a missing row from the manifest.
    /// </summary>
    private MaterialisedRelease RecordAfterFlip(StagedRelease staged, ReleaseManifest manifest, string? previous, string how, PublishContext context, string? shareWarning)
    {
        var warnings = new List<string>();
        if (shareWarning is not null)
        {
            warnings.Add(shareWarning);
        }

        FaultPoints.Hit("record");
        var record = ReleaseRecord.From(manifest);
        var detail = previous is null ? "first release" : $"replaces {previous}";
        var recorded = store.Sharing is { } shared
            ? AfterFlip(warnings, "recording that this master serves it", () => shared.Applied(staged.SaltEnv, staged.Id), "the cluster's status shows this master behind until it next follows")
            : AfterFlip(warnings, "recording the release in history", () =>
                store.Repository.Record(record, History(staged.SaltEnv, staged.Id, how, context, previous)));

        FaultPoints.Hit("audit");
        AfterFlip(warnings, "writing the audit row", () =>
            store.Audit.Append(context.Actor, how, staged.SaltEnv.ToString(), "ok", $"release {staged.Id}; {detail}"));

        FaultPoints.Hit("retention");
        if (recorded)
        {
            AfterFlip(warnings, "applying retention", () =>
            {
                if (store.Retainer.Apply(staged.SaltEnv).Count + store.Candidates.RemoveExpired(staged.SaltEnv).Count > 0)
                {
                    store.TryCollectGarbage();
                }
            });
        }

        ReleaseRecord? found = null;
        AfterFlip(warnings, "reading the release back", () => found = store.Repository.Find(staged.Id));
        return new MaterialisedRelease((found ?? record).ToInfo(live: true), warnings);
    }

    private HistoryEntry History(Names.SaltEnvName saltEnv, string id, string how, PublishContext context, string? previous) =>
        new(store.Time.GetUtcNow(), saltEnv.ToString(), id, how, context.Actor, previous is null ? "first release" : $"replaces {previous}");

    /// <summary>
    /// A cluster's half of a publish, before the flip: every content into the shared store, then
    /// the release row, its history and the cluster's pointer in one transaction (docs/cluster.md).
    /// Returns a warning when the commit failed but the cluster recorded it (<see cref="Sharing.SharedCommit"/>).
    /// </summary>
    internal async Task<string?> ShareAsync(Sharing.IReleaseSharing sharing, ReleaseManifest manifest, HistoryEntry history, CancellationToken cancellationToken)
    {
        await sharing.UploadAsync(SharedContent(manifest), cancellationToken).ConfigureAwait(false);
        FaultPoints.Hit("share");
        return Sharing.SharedCommit.Run(
            sharing,
            manifest.SaltEnv,
            () => store.Repository.Record(ReleaseRecord.From(manifest), history, transaction =>
                sharing.MovePointer(transaction, manifest.SaltEnv, manifest.Release, ManifestJson.ToText(manifest))),
            pointer => pointer?.ReleaseId == manifest.Release,
            $"release {manifest.Release} of {manifest.SaltEnv}");
    }

    /// <summary>Every content of a release in <c>releases/</c>, once per sha256, for the shared content store.</summary>
    private List<Sharing.SharedContent> SharedContent(ReleaseManifest manifest)
    {
        var tree = store.Layout.ReleaseTree(manifest.Release);
        return manifest.Entries
            .Where(e => e.Kind == EntryKind.File)
            .DistinctBy(e => e.Sha256, StringComparer.Ordinal)
            .Select(e => new Sharing.SharedContent(e.Sha256!, Path.Combine(tree, e.Path)))
            .ToList();
    }

    /// <summary>Runs a step after the flip; any failure of it becomes a warning.</summary>
    /// <remarks>
    /// Every exception is caught, not only I/O and database ones: whatever goes wrong (a bug, a
    /// corrupt row, a failing clock), the release is already live, and an exception would make
    /// the caller report a failed publish for a release Salt serves. That includes
    /// <see cref="OperationCanceledException"/>: these steps deliberately do not observe the
    /// caller's token (cancelling after the flip cannot undo it), so a cancellation surfacing
    /// here is reported as a warning, never as "cancelled". Start-up recovery repairs the rest.
    /// Shared with rollback, whose pointer flip has the same property.
    /// </remarks>
    /// <param name="warnings">Receives one line per failed step.</param>
    /// <param name="step">What the step does, for the warning.</param>
    /// <param name="action">The step.</param>
    /// <param name="remedy">What happens to the missing effect, appended to the warning.</param>
    /// <param name="standing">What holds regardless (delete: the saltenv is gone), leading the warning.</param>
    internal static bool AfterFlip(List<string> warnings, string step, Action action, string remedy = "it is repaired at the next start-up", string standing = "the release is live")
    {
        try
        {
            action();
            return true;
        }
#pragma warning disable CA1031 // Deliberately broad: see remarks; the release is live whatever failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            warnings.Add($"{standing}, but {step} failed: {e.Message}; {remedy}");
            return false;
        }
    }

    /// <summary>Runs the render gate; on a refusal takes the release out of <c>releases/</c> again (tree first, manifest last, like any removal).</summary>
    private async Task<string?> RenderRefusalAsync(TopFiles.ITopRenderGate gate, StagedRelease staged, PublishContext context, CancellationToken cancellationToken)
    {
        context.Progress?.Report($"rendering the top file of release {staged.Id} on the minions (saltenv {TopFiles.CheckSaltEnv.For(staged.Id)})");
        var verdict = await gate.CheckAsync(staged.SaltEnv, staged.Id, cancellationToken).ConfigureAwait(false);
        if (verdict is not TopFiles.TopRenderVerdict.Refused refused)
        {
            context.Progress?.Report(((TopFiles.TopRenderVerdict.Passed)verdict).Message);
            return null;
        }

        TakeOutOfReleases(staged);
        return refused.Message;
    }

    /// <summary>A release that will not go live leaves <c>releases/</c> again: tree first, manifest last, like any removal.</summary>
    private void TakeOutOfReleases(StagedRelease staged)
    {
        var tree = store.Layout.ReleaseTree(staged.Id);
        DurableFs.SetMode(tree, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        DurableFs.Rename(tree, staged.Tree);
        DurableFs.FsyncDirectory(store.Layout.Releases);
        File.Delete(store.Layout.Manifest(staged.Id));
    }

    /// <summary>
    /// A plan's candidate stays where it is, not live: the plan top file goes into
    /// <c>plans/&lt;id&gt;/</c> (written aside and renamed in, so the adapter sees all or nothing),
    /// then the plan row. A crash before the row leaves an orphan that start-up removes.
    /// </summary>
    private ReleaseInfo StoreCandidate(StagedRelease staged, ReleaseManifest manifest, string? live, PublishContext context)
    {
        var layout = store.Layout;
        var aside = Path.Combine(staged.WorkDirectory, "plan");
        Directory.CreateDirectory(aside);
        if (manifest.Entries.Any(e => e.Kind == EntryKind.File && e.Path == store.Options.StateTop))
        {
            DurableFs.WriteDurably(Path.Combine(aside, "top.sls"), stream =>
            {
                var text = System.Text.Encoding.UTF8.GetBytes(Plans.PlanTopFile.Text(staged.SaltEnv, staged.Id));
                stream.Write(text);
            });
        }

        Directory.CreateDirectory(layout.Plans);
        DurableFs.Rename(aside, layout.PlanDirectory(staged.Id));
        DurableFs.FsyncDirectory(layout.Plans);
        var now = store.Time.GetUtcNow();
        store.Plans.Record(new Plans.PlanRecord(staged.Id, staged.SaltEnv, live, now, now + store.Options.PlanLifetime, context.Actor, null, null));
        store.Audit.Append(context.Actor, "plan", staged.SaltEnv.ToString(), "ok", $"candidate {staged.Id}; live is {live ?? "none"}");
        return ReleaseRecord.From(manifest).ToInfo(live: false);
    }

    /// <summary>Switches the saltenv's symlink to <paramref name="id"/> with rename(2).</summary>
    public void Flip(Names.SaltEnvName saltEnv, string id)
    {
        var link = store.Layout.EnvLink(saltEnv);
        var projectDirectory = Path.GetDirectoryName(link)!;
        var isNewProject = !Directory.Exists(projectDirectory);
        Directory.CreateDirectory(projectDirectory);
        DurableFs.ReplaceSymlink(link, StoreLayout.EnvLinkTarget(id), $".{saltEnv.Deployment}.{id}.tmp");
        if (isNewProject)
        {
            DurableFs.FsyncDirectory(store.Layout.Envs);
        }
    }

    /// <summary>
    /// Makes every directory of the release read-only, children before parents: the manifest is
    /// sorted ordinally (a directory before everything below it) and lists every directory the
    /// staged tree has, so walking it backwards needs no walk of the tree (20,000 files listed).
    /// </summary>
    private static void SealDirectories(string tree, IReadOnlyList<ManifestEntry> entries)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].Kind is EntryKind.Directory or EntryKind.EmptyDirectory)
            {
                DurableFs.SetMode(Path.Combine(tree, entries[i].Path), DurableFs.ReadOnlyDirectory);
            }
        }
    }

    private void AdoptObjects(string tree, IReadOnlyList<ManifestEntry> entries, IReadOnlySet<string> alreadyObjects, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            if (entry.Kind != EntryKind.File || alreadyObjects.Contains(entry.Path))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var sha = entry.Sha256 ?? throw new InvalidDataException($"manifest entry '{entry.Path}' has no sha256");
            store.Objects.Adopt(Path.Combine(tree, entry.Path), sha, entry.Executable);
        }
    }
}
