using System.IO.Pipelines;
using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// The store's side of the negotiated upload: which of a plan's contents the project lacks, and
/// publishing from a plan plus the uploaded missing files exactly as from the full bundle (the
/// rebuilt tar goes through the same reader, rules, limits, manifest and flip).
/// </summary>
internal sealed class DeltaPublisher(StoreServices store, BundlePublisher publisher, ProjectContent contents)
{
    // The rebuilt tar is produced while it is read: at most this much waits in between.
    private const int PipeBytes = 4 << 20;

    /// <summary>Indexes of the plan's files whose content <paramref name="project"/>'s releases do not hold.</summary>
    public IReadOnlyList<int> Missing(string project, IReadOnlyList<PlannedEntry> plan)
    {
        var known = Known(project);
        var missing = new List<int>();
        for (var i = 0; i < plan.Count; i++)
        {
            var entry = plan[i];
            if (entry.Kind == PlannedKind.File && !(known.TryGetValue((entry.Sha256!, entry.Executable), out var size) && size == entry.Size && ObjectExists(entry)))
            {
                missing.Add(i);
            }
        }

        return missing;
    }

    public async Task<PublishResult> PublishAsync(SaltEnvName saltEnv, IReadOnlyList<PlannedEntry> plan, Stream upload, PublishContext context, CancellationToken cancellationToken)
    {
        // Asked again now, not trusted from the first step: releases may have gone meanwhile. An object
        // that went missing anyway (a collection, a repair by hand) fails its link in the reader: the
        // same content-missing rejection, without a stat per object here.
        var rebuild = new DeltaTarWriter(plan, Known(saltEnv.Project), store.Options.BundleLimits);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var produce = ProduceAsync(rebuild, upload, pipe.Writer, stop.Token);
        try
        {
            await using var rebuilt = pipe.Reader.AsStream(leaveOpen: true);
            return await publisher.PublishAsync(saltEnv, rebuilt, context, cancellationToken, trustContentReferences: true).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await produce.ConfigureAwait(false);
        }
    }

    /// <summary>Writes the rebuilt tar into the pipe; a failure completes the pipe with it, so the reader sees it where the tar breaks off.</summary>
    private static async Task ProduceAsync(DeltaTarWriter rebuild, Stream upload, PipeWriter output, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using (var stream = output.AsStream(leaveOpen: true))
            {
                await rebuild.WriteAsync(upload, stream, cancellationToken).ConfigureAwait(false);
            }

            await output.CompleteAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Handed to the reader through the pipe, which reports it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await output.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>The project's contents (see <see cref="ProjectContent"/>).</summary>
    private Dictionary<(string Sha256, bool Executable), long> Known(string project) => contents.Of(store, project);

    /// <summary>
    /// A content the project's releases list may have lost its object (a collection, a repair by
    /// hand): asked only for the plan's own files, not for every content the project ever had.
    /// </summary>
    private bool ObjectExists(PlannedEntry entry) => File.Exists(store.Objects.PathFor(entry.Sha256!, entry.Executable));
}
