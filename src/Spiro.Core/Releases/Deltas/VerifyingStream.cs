using System.Security.Cryptography;
using Spiro.Protocol.Bundles;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// An uploaded file's data on its way into the rebuilt tar: exactly its announced length (so
/// TarWriter can take it without buffering), hashed as it passes so the plan's sha256 is checked.
/// </summary>
internal sealed class VerifyingStream(Stream inner, long length) : KnownLengthStream(inner, length)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes read so far; less than the length when the upload ended early.</summary>
    public long BytesRead => Position;

    public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    protected override void OnRead(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
