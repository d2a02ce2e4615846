namespace Spiro.Cluster.Objects;

/// <summary>One object a manifest names (or <c>cluster_objects</c> records) that the bucket lacks, or whose bytes do not hash to its key (<see cref="BucketScan"/>).</summary>
/// <param name="Sha256">Its key.</param>
/// <param name="Missing">True: the bucket has no such object; false: its bytes do not hash to its key.</param>
/// <param name="Releases">The releases naming it (<c>P/D release R</c>), in order; empty for one only <c>cluster_objects</c> records.</param>
public sealed record ScanProblem(string Sha256, bool Missing, IReadOnlyList<string> Releases);
