namespace Spiro.Core.Bundles;

/// <summary>One step for the <see cref="StagingPipeline"/>'s writer thread; file contents are a range of a slab.</summary>
internal readonly record struct StagingJob(StagingJobKind Kind, string? Path, BundleTree.Node? Node, bool Executable, byte[]? Slab, int Offset, int Length)
{
    public ReadOnlySpan<byte> Content => Slab.AsSpan(Offset, Length);
}
