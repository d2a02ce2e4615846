namespace Spiro.Cli.Doctor;

/// <summary><c>spiro</c> is in fileserver_backend, after <c>roots</c>, and no include silently dropped a backend.</summary>
internal static class BackendCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var config = context.Config;
        var backends = config.Options.ContainsKey("fileserver_backend") ? config.List("fileserver_backend") : ["roots"];
        var listed = $"fileserver_backend: [{string.Join(", ", backends)}] from {config.Where("fileserver_backend")}";
        // Salt strips a trailing "fs" from backend names (gitfs is git), so spirofs is spiro too.
        var spiro = backends.FindIndex(b => b is "spiro" or "spirofs");
        var roots = backends.FindIndex(b => b is "roots" or "rootsfs");
        if (spiro < 0)
        {
            yield return DoctorFinding.Fail("fileserver_backend", $"spiro is not a fileserver backend ({listed}): Salt serves no deployment",
                "uncomment block 2 (fileserver_backend) in /etc/salt/master.d/spiro.conf, keeping every backend you use (roots first, then spiro), and restart salt-master");
        }
        else if (roots > spiro)
        {
            yield return DoctorFinding.Warn("fileserver_backend", $"spiro comes before roots ({listed}): where both serve a saltenv, Salt takes the first backend's file",
                "list roots before spiro, as SpiroFS is tested");
        }
        else
        {
            yield return DoctorFinding.Ok("fileserver_backend", roots < 0 ? $"{listed} (no roots: file_roots saltenvs such as base are not served)" : $"{listed}, spiro after roots");
        }

        if (config.Replaced.Contains("fileserver_backend") && config.MainList("fileserver_backend").Except(backends).ToList() is { Count: > 0 } lost)
        {
            yield return DoctorFinding.Warn("fileserver_backend", $"fileserver_backend in {config.Where("fileserver_backend")} replaces the one in {config.MainFile}; Salt drops {string.Join(", ", lost)}",
                "keep a single fileserver_backend listing every backend");
        }
    }
}
