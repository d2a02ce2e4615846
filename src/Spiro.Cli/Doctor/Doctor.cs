namespace Spiro.Cli.Doctor;

/// <summary>Runs every check of <c>spiro doctor</c> in the order an operator fixes things.</summary>
internal static class Doctor
{
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, TimeProvider time)
    {
        var findings = new List<DoctorFinding>();
        findings.AddRange(context.Config.Errors.Select(error => DoctorFinding.Fail("config", error, "fix the file: salt-master refuses to start with it")));
        if (context.Config.Files.Count == 0)
        {
            findings.Add(DoctorFinding.Fail("config", $"no salt-master config in {context.Config.Directory} (neither master nor master.d/*.conf)",
                "install salt-master, or point spiro doctor at its config: spiro doctor -c DIR"));
        }

        findings.AddRange(AdapterCheck.Run(context));
        findings.AddRange(BackendCheck.Run(context));
        findings.Add(DataDirectoryCheck.Run(context));
        findings.Add(EngineCheck.Run(context));
        if (await PortCheck.RunAsync(context) is { } port)
        {
            findings.Add(port);
        }

        if (TlsCheck.Run(context, time.GetUtcNow()) is { } tls)
        {
            findings.Add(tls);
        }

        findings.Add(await SaltCheck.RunAsync(context));
        findings.AddRange(StoreCheck.Run(context));
        return findings;
    }
}
