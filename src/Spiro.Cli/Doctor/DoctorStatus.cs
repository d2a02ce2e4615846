namespace Spiro.Cli.Doctor;

/// <summary>How one check of <c>spiro doctor</c> came out.</summary>
internal enum DoctorStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>Works, but something is worth fixing; does not change the exit code.</summary>
    Warn,

    /// <summary>Broken: SpiroFS will not work until it is fixed; the exit code is 1.</summary>
    Fail,
}
