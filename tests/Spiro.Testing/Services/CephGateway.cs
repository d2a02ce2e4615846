using System.Diagnostics;
using System.Globalization;

namespace Spiro.Testing.Services;

/// <summary>
/// A throwaway one-node Ceph cluster with its S3 gateway, from the distribution (<c>ceph-mon
/// ceph-osd radosgw ceph-common</c>): one monitor, one bluestore OSD on a sparse file, radosgw on a
/// free loopback port, an S3 user with known keys; everything under one private directory. About
/// 6 s to start on an idle machine. docs/testing.md says how and why each setting is there.
/// </summary>
public sealed class CephGateway : IAsyncDisposable
{
    /// <summary>The S3 access key of the test user.</summary>
    public const string AccessKey = "SPIROTESTACCESSKEY01";

    /// <summary>The S3 secret key of the test user.</summary>
    public const string SecretKey = "spiro-test-secret-key-0000000000000000000";

    private static readonly string[] Tools = ["ceph-mon", "ceph-osd", "radosgw", "ceph", "ceph-authtool", "monmaptool", "radosgw-admin"];

    private CephGateway(string directory, int monitorPort, int gatewayPort)
    {
        Directory = directory;
        MonitorPort = monitorPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>The private directory.</summary>
    public string Directory { get; }

    /// <summary>The monitor's port.</summary>
    public int MonitorPort { get; }

    /// <summary>The S3 port (radosgw).</summary>
    public int GatewayPort { get; }

    /// <summary>The S3 endpoint URL.</summary>
    public string Endpoint => $"http://127.0.0.1:{GatewayPort}";

    /// <summary>How long the cluster took to start.</summary>
    public TimeSpan StartupTime { get; private set; }

    private string Config => Path.Combine(Directory, "ceph.conf");

    /// <summary>Whether the Ceph daemons are installed.</summary>
    public static bool IsInstalled =>
        Tools.All(tool => File.Exists(Path.Combine("/usr/bin", tool)));

    /// <summary>Creates and starts the cluster; throws with the daemons' logs when it does not come up.</summary>
    public static async Task<CephGateway> StartAsync()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException("Ceph is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)");
        }

        var clock = Stopwatch.StartNew();
        var ports = LoopbackPorts.Free(2);
        var gateway = new CephGateway(System.IO.Directory.CreateTempSubdirectory("spiro-ceph-").FullName, ports[0], ports[1]);
        try
        {
            await gateway.CreateAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        gateway.StartupTime = clock.Elapsed;
        return gateway;
    }

    private async Task CreateAsync()
    {
        foreach (var sub in new[] { "run", "log", "mon/ceph-a", "osd/ceph-0", "rgw" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }

        var fsid = Guid.NewGuid().ToString();
        await File.WriteAllTextAsync(Config, CephConfig.Render(Directory, fsid, MonitorPort, GatewayPort));
        var mon = Path.Combine(Directory, "mon.keyring");
        var admin = Path.Combine(Directory, "admin.keyring");
        await Run("ceph-authtool", "--create-keyring", mon, "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
        await Run("ceph-authtool", "--create-keyring", admin, "--gen-key", "-n", "client.admin", "--cap", "mon", "allow *", "--cap", "osd", "allow *", "--cap", "mgr", "allow *");
        await Run("ceph-authtool", mon, "--import-keyring", admin);
        var monmap = Path.Combine(Directory, "monmap");
        await Run("monmaptool", "--create", "--addv", "a", $"[v2:127.0.0.1:{MonitorPort}]", "--fsid", fsid, monmap);
        await Run("ceph-mon", "-c", Config, "--mkfs", "-i", "a", "--monmap", monmap, "--keyring", mon);
        await Run("ceph-mon", "-c", Config, "-i", "a");

        var osdUuid = Guid.NewGuid().ToString();
        var secret = (await Run("ceph-authtool", "--gen-print-key")).Output.Trim();
        var secretJson = Path.Combine(Directory, "osd-secret.json");
        await File.WriteAllTextAsync(secretJson, $"{{\"cephx_secret\": \"{secret}\"}}");
        var id = (await Ceph("osd", "new", osdUuid, "-i", secretJson)).Output.Trim();
        if (id != "0")
        {
            throw new InvalidOperationException($"ceph osd new gave id '{id}', expected 0");
        }

        await Run("ceph-authtool", "--create-keyring", Path.Combine(Directory, "osd/ceph-0/keyring"), "--name", "osd.0", "--add-key", secret);
        await Run("ceph-osd", "-c", Config, "-i", "0", "--mkfs", "--osd-uuid", osdUuid);
        await Run("ceph-osd", "-c", Config, "-i", "0");
        await WaitAsync("osd.0 up", async () => (await Ceph("osd", "dump")).Output.Contains("osd.0 up", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        await Ceph("auth", "get-or-create", "client.rgw.a", "mon", "allow rw", "osd", "allow rwx", "-o", Path.Combine(Directory, "rgw.keyring"));
        await StartGatewayAsync();
        await Run("radosgw-admin", "-c", Config, "user", "create", "--uid=spiro", "--display-name=spiro", $"--access-key={AccessKey}", $"--secret-key={SecretKey}");
    }

    /// <summary>Starts radosgw (again, after <see cref="StopGatewayAsync"/>) and waits until its port answers.</summary>
    public async Task StartGatewayAsync()
    {
        await Run("radosgw", "-c", Config, "-n", "client.rgw.a");
        await WaitAsync($"radosgw on port {GatewayPort}", () => LoopbackPorts.IsListeningAsync(GatewayPort), TimeSpan.FromSeconds(90));
    }

    /// <summary>Kills radosgw (an outage of the object store as clients see it); the cluster behind it keeps its data.</summary>
    public async Task StopGatewayAsync()
    {
        await Signal("client.rgw.a", "KILL");
        await WaitAsync($"radosgw to leave port {GatewayPort}", async () => !await LoopbackPorts.IsListeningAsync(GatewayPort), TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The data is thrown away: SIGKILL everything rather than the polite (and slow) order.
        foreach (var daemon in new[] { "client.rgw.a", "osd.0", "mon.a" })
        {
            await Signal(daemon, "KILL");
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A daemon still closing a file; the temp directory is reclaimed with the machine.
        }
    }

    private async Task Signal(string daemon, string signal)
    {
        var pidFile = Path.Combine(Directory, "run", daemon + ".pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            await ProcessRunner.RunAsync("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            File.Delete(pidFile);
        }
    }

    private Task<CommandResult> Ceph(params string[] arguments) => Run("ceph", ["-c", Config, "--connect-timeout", "30", .. arguments]);

    private async Task<CommandResult> Run(string tool, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(Path.Combine("/usr/bin", tool), arguments, TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {result}\n{Logs()}");
        }

        return result;
    }

    private async Task WaitAsync(string what, Func<Task<bool>> ready, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await ready())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Ceph: no {what} after {timeout.TotalSeconds:0} s\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    private string Logs()
    {
        var logs = Path.Combine(Directory, "log");
        return System.IO.Directory.Exists(logs)
            ? string.Join("\n", System.IO.Directory.GetFiles(logs).Select(file => $"--- {file} (end)\n{string.Join('\n', File.ReadLines(file).TakeLast(15))}"))
            : "";
    }
}
