using System.Formats.Tar;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Spiro.Protocol.Deltas;

namespace Spiro.Protocol.Bundles;

/// <summary>
/// The client's half of the negotiated upload: the plan (every entry of the bundle, files with
/// size and sha256) and the tar of the files the server lacks. Both read the bundle exactly as
/// <see cref="BundleBuilder"/> writes it for a full upload, so the server can rebuild that tar.
/// </summary>
public static class DeltaBundle
{
    /// <summary>Every entry of the bundle <paramref name="spec"/> describes, in tar order, files hashed.</summary>
    /// <exception cref="NotSupportedException">An entry type the plan cannot describe (a device, a fifo): upload the whole bundle instead.</exception>
    public static async Task<IReadOnlyList<DeltaEntry>> PlanAsync(BundleSpec spec, CancellationToken cancellationToken)
    {
        var entries = new List<DeltaEntry>();
        await ReadBundleAsync(spec, async entry => entries.Add(await DescribeAsync(entry, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>
    /// Writes a tar of the plan's files at <paramref name="missing"/> (indexes into
    /// <paramref name="plan"/>), same names and modes, in plan order, to <paramref name="output"/> (left open).
    /// </summary>
    /// <exception cref="InvalidOperationException">The bundle no longer matches the plan (files changed meanwhile).</exception>
    public static async Task WriteMissingAsync(BundleSpec spec, IReadOnlyList<DeltaEntry> plan, IReadOnlySet<int> missing, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(missing);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var index = 0;
        await ReadBundleAsync(spec, async entry =>
        {
            var at = index++;
            if (at >= plan.Count || !string.Equals(plan[at].Path, entry.Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the bundle changed while it was uploaded (entry {at} is '{entry.Name}', the plan said '{(at < plan.Count ? plan[at].Path : "nothing")}')");
            }

            if (missing.Contains(at))
            {
                var copy = new PaxTarEntry(TarEntryType.RegularFile, entry.Name)
                {
                    Mode = entry.Mode,
                    DataStream = entry.DataStream is null ? null : new KnownLengthStream(entry.DataStream, entry.Length),
                };
                await writer.WriteEntryAsync(copy, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0)
        {
            // TarWriter writes no end-of-archive marker for an archive without entries.
            await output.WriteAsync(new byte[1024], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<DeltaEntry> DescribeAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var mode = (int)entry.Mode;
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                var sha = entry.DataStream is null
                    ? Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty))
                    : Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream, cancellationToken).ConfigureAwait(false));
                return new DeltaEntry(entry.Name, DeltaEntryTypes.File, mode, entry.Length, sha, null);
            case TarEntryType.Directory:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Directory, mode, 0, null, null);
            case TarEntryType.SymbolicLink:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Symlink, mode, 0, null, entry.LinkName);
            case TarEntryType.HardLink:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Hardlink, mode, 0, null, entry.LinkName);
            default:
                throw new NotSupportedException($"'{entry.Name}' is a {entry.EntryType} entry, which a negotiated upload cannot describe");
        }
    }

    /// <summary>Runs <see cref="BundleBuilder"/> into a pipe and reads its tar back entry by entry (at most a few MiB in between).</summary>
    private static async Task ReadBundleAsync(BundleSpec spec, Func<TarEntry, Task> onEntry, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        var produce = Task.Run(async () =>
        {
            try
            {
                await using (var stream = pipe.Writer.AsStream(leaveOpen: true))
                {
                    await BundleBuilder.WriteAsync(spec, stream, cancellationToken).ConfigureAwait(false);
                }

                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
        try
        {
            await using var reader = new TarReader(pipe.Reader.AsStream(leaveOpen: true), leaveOpen: false);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await onEntry(entry).ConfigureAwait(false);
            }
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }

        await produce.ConfigureAwait(false);
    }
}
