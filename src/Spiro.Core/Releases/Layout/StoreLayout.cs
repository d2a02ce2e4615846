using Spiro.Core.Names;

namespace Spiro.Core.Releases.Layout;

/// <summary>Paths of the data directory, exactly as docs/storage.md describes them.</summary>
internal sealed class StoreLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Database => DataDirectoryNames.DatabaseIn(Root);

    /// <summary>Room kept free for recording how deploys end on a full disk (Metadata.SpaceReserve).</summary>
    public string SpaceReserve => Path.Combine(Root, "space.reserve");

    public string Objects => Path.Combine(Root, "objects");

    public string Releases => Path.Combine(Root, "releases");

    public string Manifests => Path.Combine(Root, "manifests");

    public string Envs => Path.Combine(Root, "envs");

    public string Staging => Path.Combine(Root, "staging");

    public string Locks => Path.Combine(Root, "locks");

    /// <summary>One directory per pending plan, holding its plan top file (docs/storage.md "Plans").</summary>
    public string Plans => Path.Combine(Root, "plans");

    public string PlanDirectory(string id) => Path.Combine(Plans, id);

    /// <summary>Per-project settings (allowed targets), one JSON file each; the Salt adapter reads them.</summary>
    public string Projects => Path.Combine(Root, "projects");

    public string ProjectFile(string project) => Path.Combine(Projects, project + ".json");

    /// <summary>Taken shared while objects may be unreferenced by any manifest yet, exclusive by garbage collection.</summary>
    public string ObjectsLock => Path.Combine(Locks, ".objects.lock");

    public string ReleaseTree(string id) => Path.Combine(Releases, id);

    public string Manifest(string id) => Path.Combine(Manifests, id + ".json");

    public string EnvLink(SaltEnvName saltEnv) => Path.Combine(Envs, saltEnv.Project, saltEnv.Deployment);

    /// <summary>The exact symlink target the contract promises readers.</summary>
    public static string EnvLinkTarget(string id) => "../../releases/" + id;

    /// <summary>Work in progress for one saltenv; only the holder of that saltenv's lock touches it.</summary>
    public string StagingFor(SaltEnvName saltEnv) => Path.Combine(Staging, saltEnv.Project, saltEnv.Deployment);

    public string SaltEnvLock(SaltEnvName saltEnv) => Path.Combine(Locks, saltEnv.Project, saltEnv.Deployment + ".lock");

    public string SaltEnvHolder(SaltEnvName saltEnv) => Path.Combine(Locks, saltEnv.Project, saltEnv.Deployment + ".holder");

    public void Create()
    {
        foreach (var directory in new[] { Root, Objects, Releases, Manifests, Envs, Staging, Locks, Plans })
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The live release id of <paramref name="saltEnv"/>, or null when it has no pointer.</summary>
    public string? LiveRelease(SaltEnvName saltEnv) => ReleaseIdOf(DurableFs.ReadLink(EnvLink(saltEnv)));

    public static string? ReleaseIdOf(string? linkTarget)
    {
        const string prefix = "../../releases/";
        return linkTarget is not null && linkTarget.StartsWith(prefix, StringComparison.Ordinal) && ReleaseId.IsValid(linkTarget[prefix.Length..])
            ? linkTarget[prefix.Length..]
            : null;
    }

    /// <summary>Every saltenv that has a pointer, from the envs directory (the source of truth for "live").</summary>
    public IEnumerable<(SaltEnvName SaltEnv, string ReleaseId)> LivePointers()
    {
        if (!Directory.Exists(Envs))
        {
            yield break;
        }

        foreach (var projectDirectory in Directory.EnumerateDirectories(Envs).Order(StringComparer.Ordinal))
        {
            foreach (var link in Directory.EnumerateFileSystemEntries(projectDirectory).Order(StringComparer.Ordinal))
            {
                var saltEnv = SaltEnvName.TryCreate(Path.GetFileName(projectDirectory), Path.GetFileName(link), out _);
                var id = saltEnv is null ? null : ReleaseIdOf(DurableFs.ReadLink(link));
                if (saltEnv is not null && id is not null)
                {
                    yield return (saltEnv, id);
                }
            }
        }
    }
}
