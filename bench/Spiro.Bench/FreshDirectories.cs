namespace Spiro.Bench;

/// <summary>
/// A new, empty directory for every step of a scenario under one root, which the scenario removes
/// only when it ends. Removing the previous step's tree before each step made the next step pay
/// for the removal: on ext4 without a journal (this machine's disk) every inode allocation skips,
/// one by one, the free inodes released in the last one to five minutes, so the same `tar -x` of
/// 20,000 files took 1.1 s or 13.8 s depending on how recently a tree had been removed
/// (bench/README.md, eighth round).
/// </summary>
internal sealed class FreshDirectories(string root)
{
    private int _made;

    /// <summary>An empty directory named <paramref name="name"/> and a number no other step of this run has.</summary>
    public string Next(string name)
    {
        var path = Path.Combine(root, $"{name}-{Interlocked.Increment(ref _made)}");
        Directory.CreateDirectory(path);
        return path;
    }
}
