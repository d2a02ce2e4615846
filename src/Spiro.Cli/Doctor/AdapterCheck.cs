using Spiro.Cli.Salt;

namespace Spiro.Cli.Doctor;

/// <summary>The adapter files are where module_dirs points, readable, and byte for byte those this spiro embeds.</summary>
internal static class AdapterCheck
{
    /// <summary>Where the spirofs package installs the adapter.</summary>
    public const string PackagedDirectory = "/usr/share/spirofs/salt";

    private const string EnableHint = "uncomment block 1 (module_dirs) in /etc/salt/master.d/spiro.conf, or add "
        + PackagedDirectory + " to the module_dirs you have, then restart salt-master";

    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var moduleDirs = context.Config.List("module_dirs");
        var withAdapter = moduleDirs.Where(HasAnyFile).ToList();
        var inspected = withAdapter.Count > 0 ? withAdapter : Directory.Exists(PackagedDirectory) ? [PackagedDirectory] : [];
        if (inspected.Count == 0)
        {
            yield return DoctorFinding.Fail("adapter", $"no Salt adapter in module_dirs ({Join(moduleDirs)}) nor in {PackagedDirectory}",
                "install the spirofs package, or run: spiro salt install --dir /srv/salt-modules");
        }

        var account = UnixAccess.Lookup(context.MasterUser);
        foreach (var directory in inspected)
        {
            yield return Compare(directory, context, account);
        }

        if (withAdapter.Count > 0)
        {
            yield return DoctorFinding.Ok("module_dirs", $"module_dirs ({context.Config.Where("module_dirs")}) contains {Join(withAdapter)}");
        }
        else
        {
            var found = moduleDirs.Count == 0 ? "module_dirs is not set" : $"module_dirs ({Join(moduleDirs)}) has no directory with the adapter";
            yield return DoctorFinding.Fail("module_dirs", $"{found}: salt-master does not load the spiro fileserver, runner or engine", EnableHint);
        }

        if (context.Config.Replaced.Contains("module_dirs") && context.Config.MainList("module_dirs").Except(moduleDirs).ToList() is { Count: > 0 } lost)
        {
            yield return DoctorFinding.Warn("module_dirs", $"module_dirs in {context.Config.Where("module_dirs")} replaces the one in {context.Config.MainFile}; Salt drops {Join(lost)}",
                $"keep a single module_dirs listing every directory ({Join([.. lost, .. moduleDirs])})");
        }
    }

    private static DoctorFinding Compare(string directory, DoctorContext context, UnixAccess.Account? account)
    {
        var missing = new List<string>();
        var different = new List<string>();
        var unreadable = new List<string>();
        foreach (var relative in AdapterFiles.RelativePaths)
        {
            var path = Path.Combine(directory, relative);
            if (!File.Exists(path))
            {
                missing.Add(relative);
                continue;
            }

            if (!SameAsEmbedded(path, relative))
            {
                different.Add(relative);
            }

            if (account is not null && UnixAccess.OwnerOf(path) is { } owner && !UnixAccess.Allows(account, owner, directory: false, write: false))
            {
                unreadable.Add(relative);
            }
        }

        var fix = directory == PackagedDirectory ? "reinstall the package: apt-get install --reinstall spirofs" : $"spiro salt install --dir {directory}";
        if (missing.Count > 0 || different.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"missing {Join(missing)}");
            }

            if (different.Count > 0)
            {
                problems.Add($"{Join(different)} differ from the adapter of spiro {context.Version} (another version, or edited)");
            }

            return DoctorFinding.Fail("adapter", $"{directory}: {string.Join("; ", problems)}", fix);
        }

        if (unreadable.Count > 0)
        {
            return DoctorFinding.Fail("adapter", $"{directory}: salt-master's user {context.MasterUser} cannot read {Join(unreadable)}", $"chmod 0644 the files (or: {fix})");
        }

        return DoctorFinding.Ok("adapter", $"{directory}: {Join(AdapterFiles.RelativePaths)} are those of spiro {context.Version}");
    }

    private static bool HasAnyFile(string directory) => AdapterFiles.RelativePaths.Any(relative => File.Exists(Path.Combine(directory, relative)));

    private static bool SameAsEmbedded(string path, string relative)
    {
        using var embedded = AdapterFiles.Open(relative);
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);
        try
        {
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(copy.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Join(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "none";
}
