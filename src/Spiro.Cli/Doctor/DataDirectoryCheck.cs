using Spiro.Core.Releases.Layout;

namespace Spiro.Cli.Doctor;

/// <summary>spiro_data exists, salt-master's user can read it and the deploy server's user can write it.</summary>
internal static class DataDirectoryCheck
{
    // The store's top-level entries (docs/storage.md) the server writes into.
    private static readonly string[] Entries = [DataDirectoryNames.Database, .. DataDirectoryNames.DatabaseSideFiles, .. DataDirectoryNames.Directories];

    public static DoctorFinding Run(DoctorContext context)
    {
        var directory = context.DataDirectory;
        var source = context.Config.Options.ContainsKey("spiro_data") ? $"spiro_data in {context.Config.Where("spiro_data")}" : "the default <cachedir>/spirofs";
        var owner = context.ServerUser;
        if (!Directory.Exists(directory))
        {
            return DoctorFinding.Fail("spiro_data", $"{directory} ({source}) does not exist",
                $"install -d -o {owner} -g {owner} -m 0750 {directory}");
        }

        var master = UnixAccess.Lookup(context.MasterUser);
        var server = UnixAccess.Lookup(owner);
        if (master is null || server is null)
        {
            return DoctorFinding.Warn("spiro_data", $"{directory} exists, but the user {(master is null ? context.MasterUser : owner)} is unknown, so its access was not checked",
                "set user: in the master config to the user salt-master runs as");
        }

        var unwritable = new List<string>();
        foreach (var path in Entries.Select(entry => Path.Combine(directory, entry)).Prepend(directory))
        {
            if (UnixAccess.OwnerOf(path) is { } entry && !UnixAccess.Allows(server, entry, Directory.Exists(path), write: true))
            {
                unwritable.Add(path);
            }
        }

        var mode = UnixAccess.OwnerOf(directory);
        if (mode is null || !UnixAccess.Allows(master, mode, directory: true, write: false))
        {
            return DoctorFinding.Fail("spiro_data", $"salt-master's user {master.Name} cannot read {directory}",
                $"chown -R {owner}: {directory} && chmod 0750 {directory}");
        }

        if (unwritable.Count > 0)
        {
            return DoctorFinding.Fail("spiro_data", $"the deploy server's user {owner} cannot write {string.Join(", ", unwritable)}",
                $"chown -R {owner}: {directory} (files made by running spiro as another user, e.g. root)");
        }

        var octal = Convert.ToString((int)mode.Mode, 8).PadLeft(4, '0');
        if ((mode.Mode & (UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0)
        {
            return DoctorFinding.Warn("spiro_data", $"{directory} (mode {octal}) is open to every local user; bundles may hold secrets",
                $"chmod 0750 {directory}");
        }

        return DoctorFinding.Ok("spiro_data", $"{directory} ({source}, mode {octal}): salt-master ({master.Name}) reads it, the deploy server ({owner}) writes it");
    }
}
