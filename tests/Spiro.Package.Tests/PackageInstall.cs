namespace Spiro.Package.Tests;

/// <summary>
/// The spirofs package installed on this machine for one test, and removed again (dpkg -P) when
/// disposed, whatever the test did. One test at a time on the machine holds the install: others
/// (other checkouts' test runs too) wait on a lock file. Everything the install created outside
/// dpkg's own files (the data directory and its parents) is removed again, so the machine is left
/// as it was; an install these tests did not make is never touched.
/// </summary>
internal sealed class PackageInstall : IDisposable
{
    public const string Package = "spirofs";
    private const string LockFile = "/run/lock/spirofs-package-tests.lock";
    private const string Marker = "/run/lock/spirofs-package-tests.installed";
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(20);

    // Parents listed after their children: removal goes in this order.
    private static readonly string[] MachinePaths =
    [
        "/var/cache/salt/master/spirofs", "/var/cache/salt/master", "/var/cache/salt",
        "/etc/salt/master.d", "/etc/salt", "/etc/spirofs", "/usr/share/spirofs", "/usr/lib/spirofs",
    ];

    private readonly FileStream _lock;
    private readonly HashSet<string> _existed;

    private PackageInstall(FileStream held, HashSet<string> existed, string installOutput)
    {
        _lock = held;
        _existed = existed;
        InstallOutput = installOutput;
    }

    /// <summary>What dpkg -i printed, postinst's doctor hint included.</summary>
    public string InstallOutput { get; }

    /// <summary>The .deb under test: $SPIRO_PACKAGE, which ./build.sh test builds before the tests.</summary>
    public static string Deb =>
        Environment.GetEnvironmentVariable("SPIRO_PACKAGE") is { Length: > 0 } deb && File.Exists(deb)
            ? deb
            : throw new InvalidOperationException("SPIRO_PACKAGE does not name a built .deb: run the package tests through ./build.sh test (it runs ./build.sh package first)");

    public static PackageInstall Start()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("the package tests need root: they dpkg -i the .deb (CI runs as root)");
        }

        var deb = Deb;
        var held = TakeLock();
        try
        {
            if (Installed())
            {
                if (!File.Exists(Marker))
                {
                    throw new InvalidOperationException($"{Package} is installed on this machine, and not by these tests: refusing to replace and remove it");
                }

                Purge(); // left by a test run that was killed
            }

            var existed = MachinePaths.Where(Path.Exists).ToHashSet();
            File.WriteAllText(Marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var install = Dpkg("-i", deb);
            Assert.True(install.ExitCode == 0, $"dpkg -i {deb} exited {install.ExitCode}:\n{install.All}");
            return new PackageInstall(held, existed, install.All);
        }
        catch
        {
            Cleanup(MachinePaths.Where(Path.Exists).ToHashSet());
            held.Dispose();
            throw;
        }
    }

    public static bool Installed()
    {
        var query = Run.Command("dpkg-query", "-W", "-f=${db:Status-Status}", Package);
        return query.ExitCode == 0 && query.Stdout.Trim() is not ("not-installed" or "");
    }

    /// <summary>dpkg, retried while another process (apt on this machine) holds dpkg's lock.</summary>
    public static Run.Result Dpkg(params string[] arguments)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var result = Run.Command("dpkg", arguments);
            if (result.ExitCode == 0 || !result.All.Contains("lock", StringComparison.OrdinalIgnoreCase) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            Thread.Sleep(2000);
        }
    }

    public void Dispose()
    {
        try
        {
            Cleanup(_existed);
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private static void Cleanup(HashSet<string> existed)
    {
        if (Installed())
        {
            Purge();
        }

        foreach (var path in MachinePaths.Where(path => !existed.Contains(path) && Directory.Exists(path)))
        {
            Directory.Delete(path, recursive: true);
        }

        File.Delete(Marker);
    }

    private static void Purge()
    {
        var purge = Dpkg("-P", Package);
        if (purge.ExitCode != 0)
        {
            throw new InvalidOperationException($"dpkg -P {Package} exited {purge.ExitCode}:\n{purge.All}");
        }
    }

    private static FileStream TakeLock()
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock: released by the kernel if this process dies.
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1000);
            }
        }
    }
}
