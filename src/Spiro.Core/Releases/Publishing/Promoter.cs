using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Locks;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Objects;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Releases.Publishing;

/// <summary>
/// Promote: a new release of the target built from hard links to the source's content (no
/// upload, no copy), with the top file recompiled for the target unless the bundle brought its own.
/// </summary>
internal sealed class Promoter(StoreServices store, ReleaseMaterialiser materialiser)
{
    public async Task<PromoteResult> PromoteAsync(SaltEnvName from, SaltEnvName to, string? releaseId, PublishContext context, CancellationToken cancellationToken)
    {
        if (!string.Equals(from.Project, to.Project, StringComparison.Ordinal))
        {
            return new PromoteResult.Rejected("cross-project", $"cannot promote from {from} to {to}: promote stays within one project");
        }

        if (from == to)
        {
            return new PromoteResult.Rejected("same-saltenv", $"cannot promote {from} onto itself");
        }

        // Both locks, in one global order, so two opposite promotes cannot deadlock; the source
        // lock keeps its retention from removing the release while we link from it.
        var order = new[] { from, to }.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        var held = new List<HeldLock>();
        try
        {
            foreach (var saltEnv in order)
            {
                var (taken, message) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
                if (taken is null)
                {
                    return new PromoteResult.Locked(message!);
                }

                held.Add(taken);
            }

            return await PromoteLockedAsync(from, to, releaseId, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            held.ForEach(l => l.Dispose());
        }
    }

    private async Task<PromoteResult> PromoteLockedAsync(SaltEnvName from, SaltEnvName to, string? releaseId, PublishContext context, CancellationToken cancellationToken)
    {
        var sourceId = releaseId ?? store.Live(from);
        var source = sourceId is null ? null : store.Repository.Find(sourceId);
        if (source is not null && source.SaltEnv == from && !IsLocal(source.Id) && store.Sharing is { } cluster
            && store.Repository.Active(from).Any(r => r.Id == source.Id))
        {
            // In a cluster every kept release is kept somewhere: one this master lacks (it was down
            // through that deploy, or has not followed yet) is made here first, as a follower makes it.
            context.Progress?.Report($"release {source.Id} is not in this master's data directory: fetching it from the cluster");
            await new Sharing.ReleaseFollower(store, materialiser).MaterialiseAsync(from, source.Id, cluster.Source, cancellationToken).ConfigureAwait(false);
        }

        if (sourceId is null || source is null || source.SaltEnv != from || !File.Exists(store.Layout.Manifest(sourceId)))
        {
            return new PromoteResult.NotFound(sourceId is null
                ? $"{from} has no live release to promote"
                : $"release {sourceId} is not a kept release of {from}");
        }

        var manifest = ManifestJson.Read(store.Layout.Manifest(sourceId));
        var id = ReleaseId.New(store.Time.GetUtcNow());
        var work = Path.Combine(store.Layout.StagingFor(to), id);
        try
        {
            var tree = Path.Combine(work, "tree");
            var compiler = new TopFileCompiler(store.Options.StateTop) { AllowTargets = store.Policies.AllowTargets(to.Project) };
            var regenerate = manifest.Top != TopKind.Kept;
            var entries = LinkTree(manifest, sourceId, tree, skip: regenerate ? compiler.StateTop : null);
            // A kept top file is checked again: it may only speak for the saltenv it now goes to.
            var top = TopFileStep.Apply(compiler.Compile(tree, to), tree, entries);
            if (top.Rejection is not null)
            {
                return new PromoteResult.Rejected("top-file", top.Rejection);
            }

            var staged = new StagedRelease(id, to, store.Time.GetUtcNow(), work, top.Entries, manifest.SourceCommit, top.Top, sourceId) { RenderCheck = top.Jinja };
            var done = await materialiser.MaterialiseAsync(staged, context, "promote", cancellationToken).ConfigureAwait(false);
            return done.Refusal is { } refusal
                ? new PromoteResult.Rejected("top-render", refusal)
                : new PromoteResult.Promoted(done.Release!, sourceId) { Warnings = done.Warnings };
        }
        finally
        {
            DurableFs.RemoveTree(work);
        }
    }

    private bool IsLocal(string id) => Directory.Exists(store.Layout.ReleaseTree(id)) && File.Exists(store.Layout.Manifest(id));

    private List<ManifestEntry> LinkTree(ReleaseManifest manifest, string sourceId, string tree, string? skip)
    {
        Directory.CreateDirectory(tree);
        var sourceTree = store.Layout.ReleaseTree(sourceId);
        var entries = new List<ManifestEntry>();
        foreach (var entry in manifest.Entries)
        {
            if (string.Equals(entry.Path, skip, StringComparison.Ordinal))
            {
                continue;
            }

            var destination = Path.Combine(tree, entry.Path);
            if (entry.Kind == EntryKind.File)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                // The source tree's file is the object's inode (or its own copy when linking failed there).
                ObjectStore.LinkOrCopy(Path.Combine(sourceTree, entry.Path), destination);
            }
            else
            {
                Directory.CreateDirectory(destination);
            }

            entries.Add(entry);
        }

        return entries;
    }
}
