using System.Diagnostics;

namespace Spiro.Cli.Doctor;

/// <summary>The deploy server is set up (the spiro engine, or spiro.service) with settings that parse.</summary>
internal static class EngineCheck
{
    public static DoctorFinding Run(DoctorContext context)
    {
        // Before the general validation: the merged settings also refuse half a TLS pair, but the
        // fix an operator needs names the two engine keys, not "correct the named key".
        if (context.Engine is not null && context.Engine.ContainsKey("ssl_crt") != context.Engine.ContainsKey("ssl_key"))
        {
            return DoctorFinding.Fail("engine", $"the spiro engine ({context.Config.Where("engines")}) has only one of ssl_crt and ssl_key; the engine does not start the server",
                "set both ssl_crt and ssl_key, or neither");
        }

        if (context.ServerErrors.Count > 0)
        {
            return DoctorFinding.Fail("engine", $"the deploy server's settings ({context.ServerSource}) are invalid: {string.Join("; ", context.ServerErrors)}",
                "correct the named key; spiro serve refuses to start with it");
        }

        if (context.Engine is not null)
        {
            return DoctorFinding.Ok("engine", $"the spiro engine runs the deploy server ({context.ServerSource}), port {context.Server!.Port}");
        }

        if (StandaloneEnabled())
        {
            return DoctorFinding.Ok("engine", $"spiro.service runs the deploy server ({DoctorContext.StandaloneSettings}), port {context.Server?.Port}");
        }

        return DoctorFinding.Warn("engine", "no spiro engine in engines and spiro.service is not enabled: nothing runs the deploy server",
            "uncomment block 3 (engines) in /etc/salt/master.d/spiro.conf and restart salt-master, or: systemctl enable --now spiro.service");
    }

    private static bool StandaloneEnabled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("systemctl", ["is-enabled", "--quiet", "spiro.service"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            return process.WaitForExit(5000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
