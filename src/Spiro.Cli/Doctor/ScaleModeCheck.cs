namespace Spiro.Cli.Doctor;

/// <summary>
/// Which top-data mode the master runs (docs/salt.md, "Scale mode"): the default mode, where every
/// listed saltenv costs each minion run its own top file, or scale mode, where the spiro
/// master_tops module answers a minion's top data in one call.
/// </summary>
internal static class ScaleModeCheck
{
    /// <summary>
    /// From this many live saltenvs on, doctor advises scale mode. An estimate between what was
    /// measured (bench/README.md, saltenvs: 50 saltenvs already cost a plain highstate 1.5x the CPU
    /// of one in the default mode, 1,000 cost 3.4x), not a measured threshold.
    /// </summary>
    public const int AdviseScaleModeFrom = 100;

    public static DoctorFinding Run(DoctorContext context)
    {
        var config = context.Config;
        var saltenvs = CountLiveSaltenvs(context.DataDirectory);
        // The adapter decides the same way (salt/fileserver/spiro.py, scale_mode): a master_tops mapping with a spiro key.
        var scale = config.Options.GetValueOrDefault("master_tops") is Dictionary<string, object?> tops && tops.ContainsKey("spiro");
        if (!scale)
        {
            var mode = $"default mode: every plain highstate and state.show_top fetches the top file of each of the {saltenvs} live saltenv(s)";
            return saltenvs >= AdviseScaleModeFrom
                ? DoctorFinding.Warn("scale_mode", $"{mode}, so its cost grows with their number",
                    "turn on scale mode (master_tops: {spiro: {}}, printed by spiro salt install --dir DIR --scale) and restart salt-master; docs/salt.md, Scale mode")
                : DoctorFinding.Ok("scale_mode", mode);
        }

        var where = config.Where("master_tops");
        if (config.Scalar("top_file_merging_strategy") is "merge_all")
        {
            return DoctorFinding.Warn("scale_mode", $"scale mode (master_tops: spiro from {where}) with top_file_merging_strategy: merge_all, which the spiro master_tops module does not model: each saltenv's top data comes only from its own section",
                "use the default merge strategy, or leave scale mode (remove spiro from master_tops)");
        }

        return DoctorFinding.Ok("scale_mode", $"scale mode (master_tops: spiro from {where}): one master_tops call answers a minion's top data for all {saltenvs} live saltenv(s); salt-run fileserver.envs shows __env__, spiro deployments lists them");
    }

    // envs/<project>/<deployment> symlinks (docs/storage.md); dot-names are temporaries, never saltenvs.
    private static int CountLiveSaltenvs(string data)
    {
        var envs = Path.Combine(data, "envs");
        if (!Directory.Exists(envs))
        {
            return 0;
        }

        return Directory.EnumerateDirectories(envs)
            .Where(project => !Path.GetFileName(project).StartsWith('.'))
            .SelectMany(project => Directory.EnumerateFileSystemEntries(project))
            .Count(entry => !Path.GetFileName(entry).StartsWith('.') && new FileInfo(entry).LinkTarget is not null);
    }
}
