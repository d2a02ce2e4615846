namespace Spiro.Cli.Doctor;

/// <summary>One line of the doctor's report: which check, how it came out, what was found and how to fix it.</summary>
internal sealed record DoctorFinding(string Check, DoctorStatus Status, string Message, string? Fix = null)
{
    public static DoctorFinding Ok(string check, string message) => new(check, DoctorStatus.Ok, message);

    public static DoctorFinding Warn(string check, string message, string fix) => new(check, DoctorStatus.Warn, message, fix);

    public static DoctorFinding Fail(string check, string message, string fix) => new(check, DoctorStatus.Fail, message, fix);
}
