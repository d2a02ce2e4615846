using System.Formats.Tar;

namespace Spiro.Protocol.Bundles;

/// <summary>
/// Writes a project's bundle as tar to a stream while it is being read (no temp file, no buffer),
/// laid out as the original Python spiro-deploy did: the salt directory's content at the root,
/// <c>_artifacts/&lt;path&gt;</c>, <c>_source/...</c> and <c>.gitcommit</c>.
/// </summary>
public static class BundleBuilder
{
    /// <summary>The <see cref="BundleSpec.IncludeSource"/> value that bundles the project tree as it is on disk.</summary>
    public const string SourceFromFileSystem = "fs";

    /// <summary>The <see cref="BundleSpec.IncludeSource"/> value that bundles the files <c>git ls-files</c> lists.</summary>
    public const string SourceFromGit = "git";

    /// <summary>
    /// spiro-deploy's state directory in the project (its hash cache, docs/deploy-client.md): never bundled,
    /// not under <c>_source/</c> nor as part of an artifact or the salt directory.
    /// </summary>
    public const string ClientStateDirectory = ".spiro-deploy";

    /// <summary>
    /// Why <paramref name="spec"/> cannot be bundled (missing project or salt directory, missing
    /// artifact, artifact outside the project, unknown include-source value), or null when it can.
    /// </summary>
    public static string? Validate(BundleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var project = Path.GetFullPath(spec.ProjectDirectory);
        if (!Directory.Exists(project))
        {
            return $"project directory '{spec.ProjectDirectory}' does not exist";
        }

        if (!Directory.Exists(Path.GetFullPath(spec.SaltDirectory, project)))
        {
            return $"salt directory '{spec.SaltDirectory}' does not exist in '{spec.ProjectDirectory}'";
        }

        foreach (var artifact in spec.Artifacts)
        {
            var full = Path.GetFullPath(artifact, project);
            if (ArtifactName(project, full) is null)
            {
                return $"artifact '{artifact}' is outside the project directory";
            }

            if (!File.Exists(full) && !Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
            {
                return $"artifact '{artifact}' does not exist";
            }
        }

        return spec.IncludeSource is null or SourceFromFileSystem or SourceFromGit
            ? null
            : $"include-source must be '{SourceFromGit}' or '{SourceFromFileSystem}', not '{spec.IncludeSource}'";
    }

    /// <summary>Writes the tar for <paramref name="spec"/> to <paramref name="output"/> (left open).</summary>
    /// <exception cref="ArgumentException">The spec fails <see cref="Validate"/>.</exception>
    /// <exception cref="InvalidOperationException">git ls-files failed for <c>--include-source git</c>.</exception>
    public static async Task WriteAsync(BundleSpec spec, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Validate(spec) is { } problem)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var item in await BundleWalk.ItemsAsync(spec, cancellationToken))
        {
            if (item.FullPath is { } path)
            {
                // TarWriter reads the entry with lstat: a symlink becomes a symlink entry, a file keeps its mode.
                await writer.WriteEntryAsync(path, item.EntryName, cancellationToken);
            }
            else
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, item.EntryName) { Mode = item.Mode, DataStream = new MemoryStream(item.Content!) };
                await writer.WriteEntryAsync(entry, cancellationToken);
            }
        }
    }

    /// <summary>The artifact's name under <c>_artifacts/</c>: its '/'-separated path relative to the project, or null if outside.</summary>
    internal static string? ArtifactName(string project, string fullPath)
    {
        var relative = Path.GetRelativePath(project, fullPath).Replace('\\', '/');
        return relative == "." || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : relative;
    }

    /// <summary>Tracked files that exist on disk, minus the salt directory and anything under .git, sorted.</summary>
    internal static async Task<List<string>> GitFilesAsync(string project, string salt, CancellationToken cancellationToken)
    {
        var output = await GitProcess.RunAsync(project, ["ls-files", "-z"], cancellationToken)
            ?? throw new InvalidOperationException("include-source git needs git, which is not installed");
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files failed in '{project}': {GitProcess.FirstLine(output.StandardError)}");
        }

        var saltPrefix = Path.GetRelativePath(project, salt).Replace('\\', '/') + "/";
        var files = output.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(file => !file.StartsWith(saltPrefix, StringComparison.Ordinal) && !file.Split('/').Contains(".git"))
            .Where(file => File.Exists(Path.Combine(project, file)) || new FileInfo(Path.Combine(project, file)).LinkTarget is not null)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
