namespace Spiro.Cli.Doctor;

/// <summary>
/// Runs every check of <c>spiro doctor</c> in the order an operator fixes things, one after the
/// other (the probes wait on purpose: a CLI run, nothing to overlap).
/// </summary>
internal static class Doctor
{
    public static IReadOnlyList<DoctorFinding> Run(DoctorContext context, TimeProvider time)
    {
        var findings = new List<DoctorFinding>();
        findings.AddRange(context.Config.Errors.Select(error => DoctorFinding.Fail("config", error, "fix the file: salt-master refuses to start with it")));
        if (context.Config.Files.Count == 0)
        {
            findings.Add(DoctorFinding.Fail("config", $"no salt-master config in {context.Config.Directory} (neither master nor master.d/*.conf)",
                "install salt-master, or point spiro doctor at its config: spiro doctor -c DIR"));
        }

        findings.AddRange(Guarded("adapter", () => AdapterCheck.Run(context).ToList()));
        findings.AddRange(Guarded("fileserver_backend", () => BackendCheck.Run(context).ToList()));
        findings.AddRange(Guarded("spiro_data", () => [DataDirectoryCheck.Run(context)]));
        findings.AddRange(Guarded("scale_mode", () => [ScaleModeCheck.Run(context)]));
        findings.AddRange(Guarded("engine", () => [EngineCheck.Run(context)]));
        findings.AddRange(Guarded("port", () => PortCheck.RunAsync(context).GetAwaiter().GetResult() is { } port ? [port] : []));
        findings.AddRange(Guarded("tls", () => TlsCheck.Run(context, time.GetUtcNow()) is { } tls ? [tls] : []));
        findings.AddRange(Guarded("salt", () => [SaltCheck.RunAsync(context).GetAwaiter().GetResult()]));
        findings.AddRange(Guarded("audit", () => StoreCheck.Run(context).ToList()));
        return findings;
    }

    // One check that breaks unexpectedly is reported as failed; the others still run.
    private static IEnumerable<DoctorFinding> Guarded(string check, Func<IEnumerable<DoctorFinding>> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [DoctorFinding.Fail(check, $"the check itself failed: {e.GetType().Name}: {e.Message}", "report this with the output of spiro doctor --json")];
        }
    }
}
