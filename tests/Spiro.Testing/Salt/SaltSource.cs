using System.Diagnostics;

namespace Spiro.Testing.Salt;

/// <summary>
/// Where a runnable Salt comes from, in this order: <c>$SPIRO_SALT_SRC</c> (a source tree), a
/// <c>salt-master</c> installed on PATH, <c>$SPIRO_SALT_TARBALL</c>, or <c>shared/salt/salt-*.tar.xz</c>
/// next to the repository or one of its parent folders (unpacked once into <c>.cache/salt/</c>).
/// </summary>
public sealed class SaltSource
{
    private const string SourceVariable = "SPIRO_SALT_SRC";
    private const string TarballVariable = "SPIRO_SALT_TARBALL";
    private static readonly Lazy<SaltSource?> Found = new(Locate);

    private SaltSource(SaltSourceKind kind, string path)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>What <see cref="Path"/> is.</summary>
    public SaltSourceKind Kind { get; }

    /// <summary>The source tree, the directory holding the installed <c>salt-master</c>, or the tarball.</summary>
    public string Path { get; }

    /// <summary>The Salt this machine has, or null (<see cref="Missing"/> says where we looked).</summary>
    public static SaltSource? Current => Found.Value;

    /// <summary>One line for a skipped or failed run: where Salt was looked for.</summary>
    public static string Missing =>
        $"no Salt found: set {SourceVariable} to a Salt source tree or {TarballVariable} to salt-3006.0.tar.xz, put salt-master on PATH, "
        + $"or place shared/salt/salt-*.tar.xz next to the repository ({RepoPaths.Root})";

    /// <summary>Python for a source tree: $SPIRO_SALT_PYTHON, else Debian's /usr/bin/python3 (Salt's apt modules live there).</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("SPIRO_SALT_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SaltSourceKind.SourceTree => $"Salt source tree {Path}",
        SaltSourceKind.Installed => $"installed Salt in {Path}",
        _ => $"Salt tarball {Path}",
    };

    /// <summary>
    /// The shell text that runs one Salt tool (<c>salt</c>, <c>salt-master</c>, ...) with the arguments
    /// that follow it; a tarball is unpacked first (once, atomically, shared by concurrent runs).
    /// </summary>
    public string Launcher(string tool)
    {
        var tree = Kind switch
        {
            SaltSourceKind.SourceTree => Path,
            SaltSourceKind.Tarball => Unpacked(),
            _ => null,
        };
        if (tree is null)
        {
            return $"exec {Shell.Quote(System.IO.Path.Combine(Path, tool))} \"$@\"";
        }

        // Salt 3006 imports looseversion, which Debian 12 lacks: pylib/ holds a small stand-in.
        var pythonPath = $"{tree}:{System.IO.Path.Combine(tree, "pylib")}";
        return $"export PYTHONPATH={Shell.Quote(pythonPath)}${{PYTHONPATH:+:$PYTHONPATH}}\n"
            + $"exec {Shell.Quote(Python)} {Shell.Quote(System.IO.Path.Combine(tree, "scripts", tool))} \"$@\"";
    }

    private static SaltSource? Locate()
    {
        if (Environment.GetEnvironmentVariable(SourceVariable) is { Length: > 0 } source)
        {
            return File.Exists(System.IO.Path.Combine(source, "scripts", "salt-master"))
                ? new SaltSource(SaltSourceKind.SourceTree, System.IO.Path.GetFullPath(source))
                : throw new InvalidOperationException($"{SourceVariable}={source} is not a Salt source tree (no scripts/salt-master)");
        }

        var installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(System.IO.Path.Combine(dir, "salt-master")));
        if (installed is not null)
        {
            return new SaltSource(SaltSourceKind.Installed, installed);
        }

        if (Environment.GetEnvironmentVariable(TarballVariable) is { Length: > 0 } tarball)
        {
            return File.Exists(tarball)
                ? new SaltSource(SaltSourceKind.Tarball, System.IO.Path.GetFullPath(tarball))
                : throw new InvalidOperationException($"{TarballVariable}={tarball} does not exist");
        }

        for (var dir = new DirectoryInfo(RepoPaths.Root); dir is not null; dir = dir.Parent)
        {
            var shared = new DirectoryInfo(System.IO.Path.Combine(dir.FullName, "shared", "salt"));
            if (shared.Exists && shared.GetFiles("salt-*.tar.xz").OrderBy(file => file.Name, StringComparer.Ordinal).LastOrDefault() is { } found)
            {
                return new SaltSource(SaltSourceKind.Tarball, found.FullName);
            }
        }

        return null;
    }

    private string Unpacked()
    {
        var name = System.IO.Path.GetFileName(Path)[..^".tar.xz".Length];
        var cache = System.IO.Path.Combine(RepoPaths.Cache, "salt");
        var tree = System.IO.Path.Combine(cache, name);
        if (File.Exists(System.IO.Path.Combine(tree, "scripts", "salt-master")))
        {
            return tree;
        }

        // Unpack beside the target and rename: a concurrent run sees either nothing or the whole tree.
        Directory.CreateDirectory(cache);
        // CreateTempSubdirectory takes a name prefix only (it always creates under /tmp), so name the staging directory here.
        var staging = System.IO.Path.Combine(cache, ".unpack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            using var tar = Process.Start(new ProcessStartInfo("tar", ["-xJf", Path, "-C", staging]) { UseShellExecute = false })!;
            tar.WaitForExit();
            if (tar.ExitCode != 0)
            {
                throw new InvalidOperationException($"tar -xJf {Path} failed with exit code {tar.ExitCode}");
            }

            try
            {
                Directory.Move(System.IO.Path.Combine(staging, name), tree);
            }
            catch (IOException) when (Directory.Exists(tree))
            {
                // Another run won the race; its tree is complete.
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return tree;
    }
}
