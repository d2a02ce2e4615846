namespace Spiro.Cluster.Objects;

/// <summary>What <see cref="BucketScan.RunAsync"/> found.</summary>
/// <param name="Checked">Distinct objects the manifests name or <c>cluster_objects</c> records for the bucket, each read and hashed.</param>
/// <param name="Manifests">The manifests in <c>cluster_manifests</c>.</param>
/// <param name="Bytes">The bytes of the objects that hash to their keys.</param>
/// <param name="Problems">The missing and damaged ones, by key (empty: all good).</param>
public sealed record ScanOutcome(int Checked, int Manifests, long Bytes, IReadOnlyList<ScanProblem> Problems);
