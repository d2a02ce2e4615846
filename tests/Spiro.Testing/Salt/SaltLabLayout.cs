using System.Globalization;

namespace Spiro.Testing.Salt;

/// <summary>
/// The lab's private directories, ports and config files: everything a master and two minions need to
/// run beside any other Salt on 127.0.0.1 (own root_dir, pidfile, sock_dir, cachedir, pki_dir, log_file).
/// With <paramref name="secondSpiroPort"/> set, a second master (<c>master-b</c>) listens on
/// <see cref="SecondMasterAddress"/> with the same ports, its own adapter, data directory and engine
/// port, and both minions list both masters (Salt's multi-master).
/// </summary>
public sealed class SaltLabLayout(string root, int publishPort, int retPort, int spiroPort, int secondSpiroPort = 0)
{
    /// <summary>The second master's address: another loopback address, so it can take the same ports.</summary>
    public const string SecondMasterAddress = "127.0.0.2";

    /// <summary>The minion ids every lab runs.</summary>
    public static IReadOnlyList<string> MinionIds { get; } = ["m1", "m2"];

    /// <summary>The lab's root directory.</summary>
    public string Root { get; } = root;

    /// <summary>The master's publish port (minions subscribe here).</summary>
    public int PublishPort { get; } = publishPort;

    /// <summary>The master's request port (<c>master_port</c> of the minions).</summary>
    public int RetPort { get; } = retPort;

    /// <summary>The deploy server's port (the <c>spiro</c> engine's <c>port</c>).</summary>
    public int SpiroPort { get; } = spiroPort;

    /// <summary>The second master's deploy server port (0: the lab has one master).</summary>
    public int SecondSpiroPort { get; } = secondSpiroPort;

    /// <summary>Whether the lab runs a second master.</summary>
    public bool HasSecondMaster => SecondSpiroPort != 0;

    /// <summary>The second master's config dir (<c>-c</c>).</summary>
    public string SecondMasterConfigDir => Path.Combine(Root, "master-b");

    /// <summary>The second master's drop-in config files.</summary>
    public string SecondMasterIncludeDir => Path.Combine(SecondMasterConfigDir, "master.d");

    /// <summary>The second master's log file.</summary>
    public string SecondMasterLog => Path.Combine(SecondMasterConfigDir, "master.log");

    /// <summary>The second master's adapter (<c>module_dirs</c>).</summary>
    public string SecondModuleDir => Path.Combine(Root, "modules-b");

    /// <summary>The second master's SpiroFS data directory.</summary>
    public string SecondSpiroData => Path.Combine(Root, "spiro-data-b");

    /// <summary>Wrappers for <c>salt</c>, <c>salt-run</c>, <c>salt-call</c>, ... and <c>spiro</c>; first on the daemons' PATH.</summary>
    public string BinDir => Path.Combine(Root, "bin");

    /// <summary>The master's config dir (<c>-c</c>): <c>master</c> and <c>master.d/*.conf</c>.</summary>
    public string MasterConfigDir => Path.Combine(Root, "master");

    /// <summary>Drop-in master config files (<c>default_include: master.d/*.conf</c>).</summary>
    public string MasterIncludeDir => Path.Combine(MasterConfigDir, "master.d");

    /// <summary>The master's log file (engine and <c>spiro serve</c> lines included, at info).</summary>
    public string MasterLog => Path.Combine(MasterConfigDir, "master.log");

    /// <summary>The adapter's <c>module_dirs</c> directory (written by <c>spiro salt install</c>).</summary>
    public string ModuleDir => Path.Combine(Root, "modules");

    /// <summary>The SpiroFS data directory (<c>spiro_data</c>; <c>--data</c> of every <c>spiro</c> verb).</summary>
    public string SpiroData => Path.Combine(Root, "spiro-data");

    /// <summary>The <c>roots</c> backend's <c>base</c> saltenv (<c>file_roots</c>).</summary>
    public string FileRoots => Path.Combine(Root, "srv", "salt");

    /// <summary>The generated TLS files of the deploy server.</summary>
    public string TlsDir => Path.Combine(Root, "tls");

    /// <summary>The lab's state file (pids, ports), read by <c>./build.sh saltlab status|down</c>.</summary>
    public string StateFile => Path.Combine(Root, "saltlab.json");

    /// <summary>A minion's config dir (<c>salt-call -c</c>).</summary>
    public string MinionConfigDir(string id) => Path.Combine(Root, id);

    /// <summary>A minion's log file.</summary>
    public string MinionLog(string id) => Path.Combine(MinionConfigDir(id), "minion.log");

    /// <summary>A minion's file cache for one saltenv (<c>cp.get_file</c> and states land here).</summary>
    public string MinionFileCache(string id, string saltenv) => Path.Combine(MinionConfigDir(id), "cache", "files", saltenv);

    /// <summary>The base master config: private paths, loopback ports, auto-accept, drop-ins from master.d/.</summary>
    public string MasterConfig(string user) => MasterConfig(user, "lab-master", MasterConfigDir, MasterLog, "127.0.0.1");

    /// <summary>The second master's config: the first one's, on <see cref="SecondMasterAddress"/> in its own directories.</summary>
    public string SecondMasterConfig(string user) => MasterConfig(user, "lab-master-b", SecondMasterConfigDir, SecondMasterLog, SecondMasterAddress);

    private string MasterConfig(string user, string id, string dir, string log, string address) => string.Join('\n',
        "# Written by the real-Salt lab (tests/Spiro.Testing); drop test settings into master.d/*.conf.",
        $"id: {id}",
        $"root_dir: {dir}",
        $"pidfile: {Path.Combine(dir, "master.pid")}",
        $"sock_dir: {Path.Combine(dir, "run")}",
        $"cachedir: {Path.Combine(dir, "cache")}",
        $"pki_dir: {Path.Combine(dir, "pki")}",
        $"log_file: {log}",
        "log_level_logfile: info",
        $"interface: {address}",
        $"publish_port: {PublishPort.ToString(CultureInfo.InvariantCulture)}",
        $"ret_port: {RetPort.ToString(CultureInfo.InvariantCulture)}",
        "auto_accept: True",
        $"user: {user}",
        // Two cores: a few workers are plenty and start faster than the default five.
        "worker_threads: 3",
        "file_roots:",
        "  base:",
        $"    - {FileRoots}",
        "default_include: master.d/*.conf",
        "");

    /// <summary>A minion's config; static grains give tests something to target (<c>roles</c>, <c>lab_index</c>).</summary>
    public string MinionConfig(string id, string user) => string.Join('\n',
        "# Written by the real-Salt lab (tests/Spiro.Testing).",
        $"id: {id}",
        $"root_dir: {MinionConfigDir(id)}",
        $"pidfile: {Path.Combine(MinionConfigDir(id), "minion.pid")}",
        $"sock_dir: {Path.Combine(MinionConfigDir(id), "run")}",
        $"cachedir: {Path.Combine(MinionConfigDir(id), "cache")}",
        $"pki_dir: {Path.Combine(MinionConfigDir(id), "pki")}",
        $"log_file: {MinionLog(id)}",
        $"user: {user}",
        // Multi-master: the minion keeps a connection to each listed master and answers jobs from either.
        HasSecondMaster ? $"master:\n  - 127.0.0.1\n  - {SecondMasterAddress}" : "master: 127.0.0.1",
        $"master_port: {RetPort.ToString(CultureInfo.InvariantCulture)}",
        $"publish_port: {PublishPort.ToString(CultureInfo.InvariantCulture)}",
        // Fast (re)connects: the lab restarts masters and minions while tests wait.
        "acceptance_wait_time: 1",
        "acceptance_wait_time_max: 2",
        "random_reauth_delay: 0",
        "recon_default: 200",
        "recon_max: 2000",
        "recon_randomize: False",
        // Reverse DNS of every address has nothing to find on a test machine and costs seconds at start.
        "enable_fqdns_grains: False",
        "enable_gpu_grains: False",
        "grains:",
        "  roles:",
        $"    - {(id == "m1" ? "web" : "db")}",
        $"  lab_index: {(MinionIds.ToList().IndexOf(id) + 1).ToString(CultureInfo.InvariantCulture)}",
        "");
}
