using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Releases.Publishing;

/// <summary>Publish from an uploaded bundle: lock, extract into staging, compile the top file, then materialise.</summary>
internal sealed class BundlePublisher(StoreServices store, ReleaseMaterialiser materialiser)
{
    /// <param name="trustContentReferences">The bundle is a tar the store rebuilt itself (see <see cref="Deltas.DeltaPublisher"/>): honour its content references.</param>
    public async Task<PublishResult> PublishAsync(SaltEnvName saltEnv, Stream bundle, PublishContext context, CancellationToken cancellationToken, bool trustContentReferences = false)
    {
        FaultPoints.Hit("lock");
        var (held, lockMessage) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            store.Audit.Append(context.Actor, context.How, saltEnv.ToString(), "refused", lockMessage!);
            return new PublishResult.Locked(lockMessage!);
        }

        using (held)
        {
            var id = ReleaseId.New(store.Time.GetUtcNow());
            var work = Path.Combine(store.Layout.StagingFor(saltEnv), id);
            try
            {
                return await PublishLockedAsync(saltEnv, id, work, bundle, context, trustContentReferences, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Objects adopted by this attempt may now be unreferenced.
                store.TryCollectGarbage();
                throw;
            }
            finally
            {
                FaultPoints.Hit("cleanup");
                DurableFs.RemoveTree(work);
            }
        }
    }

    private async Task<PublishResult> PublishLockedAsync(SaltEnvName saltEnv, string id, string work, Stream bundle, PublishContext context, bool trustContentReferences, CancellationToken cancellationToken)
    {
        var created = store.Time.GetUtcNow();
        Directory.CreateDirectory(work);

        var adoptedBefore = store.Objects.AdoptedByReader;
        (PublishResult? Refused, MaterialisedRelease? Done) outcome;
        // Held from before the reader links or adopts objects until the manifest is in place: no collection can
        // remove an object a staged file is, so those files need no adoption afterwards.
        using (await store.HoldObjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            outcome = await ExtractAndMaterialiseAsync(saltEnv, id, work, created, bundle, context, trustContentReferences, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Refused is { } early)
        {
            if (store.Objects.AdoptedByReader != adoptedBefore)
            {
                store.TryCollectGarbage(); // the reader adopted the new files it wrote before the bundle was refused
            }

            return early;
        }

        var done = outcome.Done!;
        if (done.Refusal is { } refusal)
        {
            store.TryCollectGarbage(); // objects this attempt adopted may now be unreferenced
            store.Audit.Append(context.Actor, context.How, saltEnv.ToString(), "refused", refusal);
            return new PublishResult.Rejected("top-render", refusal);
        }

        context.Progress?.Report(context.Candidate
            ? $"stored release {id} as a plan's candidate; {saltEnv} still serves {store.Layout.LiveRelease(saltEnv) ?? "no release"}"
            : $"{saltEnv} now serves release {id}");
        return new PublishResult.Published(done.Release!) { Warnings = done.Warnings };
    }

    private async Task<(PublishResult? Refused, MaterialisedRelease? Done)> ExtractAndMaterialiseAsync(SaltEnvName saltEnv, string id, string work, DateTimeOffset created, Stream bundle, PublishContext context, bool trustContentReferences, CancellationToken cancellationToken)
    {
        var staged = Path.Combine(work, "tree");
        FaultPoints.Hit("extract");
        context.Progress?.Report($"extracting bundle for {saltEnv}");
        var reader = new BundleReader(store.Options.BundleLimits, store.Objects) { TrustContentReferences = trustContentReferences };
        var read = await reader.ExtractAsync(bundle, staged, cancellationToken).ConfigureAwait(false);
        if (read is BundleReadResult.Rejected rejected)
        {
            store.Audit.Append(context.Actor, context.How, saltEnv.ToString(), "refused", rejected.Message);
            return (new PublishResult.Rejected(rejected.Rule, rejected.Message), null);
        }

        var accepted = (BundleReadResult.Accepted)read;

        FaultPoints.Hit("top");
        // Read under the saltenv lock; a confinement set meanwhile makes the adapter skip this top (docs/security.md).
        var compiler = new TopFileCompiler(store.Options.StateTop) { AllowTargets = store.Policies.AllowTargets(saltEnv.Project) };
        var top = TopFileStep.Apply(compiler.Compile(staged, saltEnv), staged, accepted.Entries);
        if (top.Rejection is not null)
        {
            store.Audit.Append(context.Actor, context.How, saltEnv.ToString(), "refused", top.Rejection);
            return (new PublishResult.Rejected("top-file", top.Rejection), null);
        }

        var release = new StagedRelease(id, saltEnv, created, work, top.Entries, SourceCommitOf(accepted.GitCommit), top.Top, null)
        {
            RenderCheck = top.Jinja,
            ObjectPaths = accepted.ObjectPaths,
            EntriesNormalised = true,
        };
        // The server's publish slot (docs/security.md, fair slots): taken only now that the upload is read and checked.
        using var slot = context.BeforeMaterialise is { } wait ? await wait(cancellationToken).ConfigureAwait(false) : null;
        context.Progress?.Report($"publishing release {id} ({accepted.Entries.Count} entries, {accepted.TotalBytes} bytes)");
        return (null, await materialiser.MaterialiseAsync(release, context, context.How, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The publish pipeline after extraction and top compiling: <paramref name="extractedTree"/>
    /// (on the data directory's file system) moves into staging and becomes the live release.
    /// Used by tests and tools that already hold a checked tree and its entries.
    /// </summary>
    internal async Task<PublishResult> PublishExtractedAsync(SaltEnvName saltEnv, string extractedTree, IReadOnlyList<ManifestEntry> entries, string? gitCommit, TopKind top, PublishContext context, CancellationToken cancellationToken)
    {
        var (held, lockMessage) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new PublishResult.Locked(lockMessage!);
        }

        using (held)
        {
            var id = ReleaseId.New(store.Time.GetUtcNow());
            var work = Path.Combine(store.Layout.StagingFor(saltEnv), id);
            try
            {
                Directory.CreateDirectory(work);
                DurableFs.Rename(extractedTree, Path.Combine(work, "tree"));
                SetFileModes(Path.Combine(work, "tree"), entries);
                var release = new StagedRelease(id, saltEnv, store.Time.GetUtcNow(), work, entries, SourceCommitOf(gitCommit), top, null);
                var done = await materialiser.MaterialiseAsync(release, context, context.How, cancellationToken).ConfigureAwait(false);
                return done.Refusal is { } refusal
                    ? new PublishResult.Rejected("top-render", refusal)
                    : new PublishResult.Published(done.Release!) { Warnings = done.Warnings };
            }
            finally
            {
                DurableFs.RemoveTree(work);
            }
        }
    }

    /// <summary>Objects adopt staged files with the mode they have; a tree from elsewhere gets the bundle reader's modes first.</summary>
    private static void SetFileModes(string tree, IReadOnlyList<ManifestEntry> entries)
    {
        foreach (var entry in entries.Where(e => e.Kind == EntryKind.File))
        {
            DurableFs.SetMode(Path.Combine(tree, entry.Path), entry.Executable ? DurableFs.ExecutableFile : DurableFs.ReadOnlyFile);
        }
    }

    /// <summary>The commit hash: the first line of <c>.gitcommit</c>.</summary>
    public static string? SourceCommitOf(string? gitCommit)
    {
        var first = gitCommit?.Split('\n', 2)[0].Trim();
        return string.IsNullOrEmpty(first) ? null : first;
    }
}
