using System.Formats.Tar;
using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// Rebuilds the tar a full upload would have carried from a plan, the uploaded tar of missing
/// files and the project's known contents: every entry in plan order, uploaded files streamed
/// through (their size and sha256 checked against the plan), known ones as
/// <see cref="ContentReference"/>s. Anything that does not add up is a rejection: the reader
/// then fails the publish, and the live release stays as it was.
/// </summary>
internal sealed class DeltaTarWriter(IReadOnlyList<PlannedEntry> plan, IReadOnlyDictionary<(string Sha256, bool Executable), long> known, BundleLimits limits)
{
    public async Task WriteAsync(Stream upload, Stream output, CancellationToken cancellationToken)
    {
        // Disposed (which writes the end-of-archive marker) only once every entry checked out: a
        // tar cut short can never be read as complete, so a failure here always fails the publish.
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using var guarded = new TarInputMeter(upload, null, limits);
        await using var uploads = new TarReader(guarded, leaveOpen: true);
        // An empty body is an empty tar: nothing was missing.
        var next = await NextUploadAsync(uploads, guarded, cancellationToken).ConfigureAwait(false);
        foreach (var entry in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mode = (UnixFileMode)entry.Mode;
            switch (entry.Kind)
            {
                case PlannedKind.Directory:
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, entry.Path) { Mode = mode }, cancellationToken).ConfigureAwait(false);
                    break;
                case PlannedKind.Symlink or PlannedKind.Hardlink:
                    var type = entry.Kind == PlannedKind.Symlink ? TarEntryType.SymbolicLink : TarEntryType.HardLink;
                    await writer.WriteEntryAsync(new PaxTarEntry(type, entry.Path) { Mode = mode, LinkName = entry.Link! }, cancellationToken).ConfigureAwait(false);
                    break;
                case PlannedKind.File when next is not null && string.Equals(next.Name, entry.Path, StringComparison.Ordinal):
                    await CopyUploadedAsync(writer, next, entry, cancellationToken).ConfigureAwait(false);
                    next = await NextUploadAsync(uploads, guarded, cancellationToken).ConfigureAwait(false);
                    break;
                case PlannedKind.File when known.TryGetValue((entry.Sha256!, entry.Executable), out var size) && size == entry.Size:
                    var reference = new PaxTarEntry(TarEntryType.RegularFile, entry.Path, ContentReference.Attributes(entry.Sha256!, size)) { Mode = mode };
                    await writer.WriteEntryAsync(reference, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new BundleRejectedException(BundleRules.ContentMissing,
                        $"file '{TarEntryRules.Printable(entry.Path)}' is not in the upload and the server holds no content {entry.Sha256} of {entry.Size} bytes for this project; negotiate the upload again");
            }
        }

        if (next is not null)
        {
            throw new BundleRejectedException(BundleRules.ContentMismatch, $"the upload holds '{TarEntryRules.Printable(next.Name)}', which is not the next missing file of the plan (upload the missing files in plan order)");
        }

        await writer.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CopyUploadedAsync(TarWriter writer, TarEntry uploaded, PlannedEntry entry, CancellationToken cancellationToken)
    {
        if (uploaded.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || uploaded.Length != entry.Size)
        {
            throw new BundleRejectedException(BundleRules.ContentMismatch,
                $"uploaded '{TarEntryRules.Printable(uploaded.Name)}' is a {uploaded.EntryType} of {uploaded.Length} bytes; the plan announced a file of {entry.Size} bytes");
        }

        await using var data = new VerifyingStream(uploaded.DataStream ?? Stream.Null, entry.Size);
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Path) { Mode = (UnixFileMode)entry.Mode, DataStream = data }, cancellationToken).ConfigureAwait(false);
        if (data.BytesRead != entry.Size)
        {
            throw new EndOfStreamException($"the upload ends inside '{TarEntryRules.Printable(entry.Path)}'");
        }

        // The reader has the bytes already; the end of the tar never comes, so nothing is published.
        if (!string.Equals(data.Sha256(), entry.Sha256, StringComparison.Ordinal))
        {
            throw new BundleRejectedException(BundleRules.ContentMismatch,
                $"uploaded '{TarEntryRules.Printable(entry.Path)}' has sha256 {data.Sha256()}, not the {entry.Sha256} its plan announced");
        }
    }

    private static async Task<TarEntry?> NextUploadAsync(TarReader uploads, TarInputMeter input, CancellationToken cancellationToken)
    {
        try
        {
            return await uploads.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException) when (input.BytesProduced == 0)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or NotSupportedException or ArgumentException or OverflowException
            || (e is InvalidOperationException && e is not ObjectDisposedException))
        {
            throw new BundleRejectedException(BundleRules.NotTar, $"the upload of missing files is not a valid tar: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
