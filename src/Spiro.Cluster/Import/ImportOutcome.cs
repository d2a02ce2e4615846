namespace Spiro.Cluster.Import;

/// <summary>How <c>spiro cluster import</c> ended (docs/cluster.md): expected outcomes are values.</summary>
public abstract record ImportOutcome
{
    private ImportOutcome()
    {
    }

    /// <summary>Objects, then the metadata in one transaction: the cluster now holds the store.</summary>
    public sealed record Imported(ImportSummary Summary) : ImportOutcome;

    /// <summary><c>--dry-run</c>: what would be imported; nothing was changed.</summary>
    public sealed record WouldImport(ImportSummary Summary) : ImportOutcome;

    /// <summary>This store (the same audit chain head) was imported before: nothing to do.</summary>
    public sealed record AlreadyImported(string Detail) : ImportOutcome;

    /// <summary>Nothing of the metadata was imported, for <paramref name="Reason"/>.</summary>
    public sealed record Refused(string Reason) : ImportOutcome;
}

/// <summary>What an import copies: rows per table, the saltenvs it makes live in the cluster, the manifests and objects.</summary>
public sealed record ImportSummary(
    string Source,
    string Target,
    IReadOnlyDictionary<string, int> Rows,
    IReadOnlyList<(string SaltEnv, string ReleaseId)> Live,
    int Manifests,
    int Objects,
    int ObjectsUploaded,
    int ObjectsPresent,
    long AuditHeadSeq,
    string AuditHeadHash);
