using Spiro.Core.Releases.Objects;

namespace Spiro.Cluster.Import;

/// <summary>Uploads every object file under a data directory's <c>objects/</c> to a content store, a few at a time.</summary>
internal static class ObjectImport
{
    private const int Parallel = 8;

    public static async Task<(int Uploaded, int Present)> RunAsync(string objectsDirectory, IContentStore target, CancellationToken cancellationToken)
    {
        // objects/<aa>/<sha256>[.x]: both exec variants hold the same bytes, one upload per content.
        var files = Directory.EnumerateFiles(objectsDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Sha: Path.GetFileName(path).Replace(".x", "", StringComparison.Ordinal)))
            .Where(file => ContentKey.IsValid(file.Sha))
            .DistinctBy(file => file.Sha)
            .ToList();
        var uploaded = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (file, token) =>
        {
            if (await target.PutAsync(file.Sha, file.Path, token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref uploaded);
            }
        }).ConfigureAwait(false);
        return (uploaded, files.Count - uploaded);
    }
}
