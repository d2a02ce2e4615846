namespace Spiro.Testing.Services;

/// <summary>
/// The unprivileged account the harness runs database daemons as. PostgreSQL refuses to run as
/// root, and the tests (like CI) run as root: the distribution's <c>postgres</c> account (made by
/// the <c>postgresql</c> package) is used then, created as a system account if it is missing.
/// Not root: the daemons run as the current user.
/// </summary>
public static class ServiceUser
{
    /// <summary>The account name.</summary>
    public const string Name = "postgres";

    /// <summary>Whether daemons must be started through <c>runuser</c>.</summary>
    public static bool NeedsSwitch => Environment.UserName == "root";

    /// <summary>Makes sure the account exists (root only) and owns <paramref name="directory"/>.</summary>
    public static async Task PrepareAsync(string directory)
    {
        if (!NeedsSwitch)
        {
            return;
        }

        var exists = await ProcessRunner.RunAsync("id", ["-u", Name], TimeSpan.FromSeconds(10));
        if (exists.ExitCode != 0)
        {
            var add = await ProcessRunner.RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Name], TimeSpan.FromSeconds(30));
            if (add.ExitCode != 0)
            {
                throw new InvalidOperationException($"could not create the system user {Name} for the test databases: {add}");
            }
        }

        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{Name}:", directory], TimeSpan.FromSeconds(30));
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"could not give {directory} to {Name}: {chown}");
        }
    }

    /// <summary>Runs <paramref name="fileName"/> as the service account.</summary>
    public static Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout) =>
        NeedsSwitch
            ? ProcessRunner.RunAsync("runuser", ["-u", Name, "--", fileName, .. arguments], timeout)
            : ProcessRunner.RunAsync(fileName, arguments, timeout);
}
