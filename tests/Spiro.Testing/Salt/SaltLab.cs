using System.Diagnostics;
using System.Globalization;

namespace Spiro.Testing.Salt;

/// <summary>
/// A real salt-master with two real minions (<c>m1</c>, <c>m2</c>) on free loopback ports, private
/// directories under <see cref="SaltLabLayout.Root"/>, the SpiroFS adapter installed with
/// <c>spiro salt install</c> and the seed's master config (TLS engine included) in
/// <c>master.d/spiro.conf</c>. <see cref="StartAsync"/> returns once both minions answer and the
/// engine's <c>spiro serve</c> accepts connections; <see cref="DisposeAsync"/> stops every process it
/// started, by process group. See docs/testing.md.
/// </summary>
public sealed partial class SaltLab : IAsyncDisposable
{
    private const string Master = "master";

    /// <summary>The second master's daemon name (<see cref="SaltLabOptions.SecondMaster"/>).</summary>
    public const string SecondMaster = "master-b";
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, ProcessGroup> _daemons = [];
    private readonly SaltLabOptions _options;
    private readonly bool _ownsRoot;
    private ProcessGroup? _watchdog;
    private bool _disposed;

    private SaltLab(SaltLabLayout layout, SaltSource source, SaltLabOptions options, bool ownsRoot)
    {
        Layout = layout;
        Source = source;
        _options = options;
        _ownsRoot = ownsRoot;
        SpiroCli = options.SpiroCli ?? RepoPaths.SpiroCli;
        Certificate = new TestCertificate(
            Path.Combine(layout.TlsDir, "ca.pem"), Path.Combine(layout.TlsDir, "spiro.crt"), Path.Combine(layout.TlsDir, "spiro.key"));
    }

    /// <summary>Where everything is.</summary>
    public SaltLabLayout Layout { get; }

    /// <summary>The Salt this lab runs.</summary>
    public SaltSource Source { get; }

    /// <summary>The <c>spiro</c> executable the adapter and the engine use.</summary>
    public string SpiroCli { get; }

    /// <summary>The deploy server's certificate (<see cref="TestCertificate.CaFile"/> is what clients trust).</summary>
    public TestCertificate Certificate { get; }

    /// <summary>The engine-started deploy server.</summary>
    public Uri SpiroUrl => new($"https://127.0.0.1:{Layout.SpiroPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The second master's engine-started deploy server (<see cref="SaltLabOptions.SecondMaster"/>).</summary>
    public Uri SecondSpiroUrl => Layout.HasSecondMaster
        ? new($"https://127.0.0.1:{Layout.SecondSpiroPort.ToString(CultureInfo.InvariantCulture)}/")
        : throw new InvalidOperationException("the lab has one master (SaltLabOptions.SecondMaster)");

    /// <summary>How long the last <see cref="StartAsync"/> took until both minions answered and the server listened.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Whether the master or a minion (<c>"master"</c>, <c>"m1"</c>, <c>"m2"</c>) is running.</summary>
    public bool IsRunning(string daemon) => _daemons.TryGetValue(daemon, out var group) && group.IsAlive;

    /// <summary>
    /// The processes of a daemon's group (<c>"master"</c>, <c>"m1"</c>, <c>"m2"</c>) whose command line contains
    /// <paramref name="commandLineContains"/>; e.g. the engine's server: <c>Processes("master", " serve ")</c>.
    /// </summary>
    public IReadOnlyList<int> Processes(string daemon, string commandLineContains) =>
        _daemons.TryGetValue(daemon, out var group) ? group.Members(commandLineContains) : [];

    /// <summary>Prepares a lab directory and starts the master and both minions; fails with their logs if they do not come up.</summary>
    public static async Task<SaltLab> StartAsync(SaltLabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SaltLabOptions();
        var source = SaltSource.Current ?? throw new InvalidOperationException(SaltSource.Missing);
        var ownsRoot = options.Root is null;
        var root = options.Root ?? Directory.CreateTempSubdirectory("saltlab-").FullName;
        if (options.SecondMaster && options.Detached)
        {
            throw new ArgumentException("a detached lab runs one master", nameof(options));
        }

        var ports = LoopbackPorts.Free(4);
        var lab = new SaltLab(new SaltLabLayout(Path.GetFullPath(root), ports[0], ports[1], ports[2], options.SecondMaster ? ports[3] : 0), source, options, ownsRoot);
        var clock = Stopwatch.StartNew();
        try
        {
            await lab.PrepareAsync(cancellationToken);
            if (!options.Detached)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => lab.KillNow();
            }

            lab.StartDaemon(Master);
            if (lab.Layout.HasSecondMaster)
            {
                lab.StartDaemon(SecondMaster);
            }

            foreach (var id in SaltLabLayout.MinionIds)
            {
                lab.StartDaemon(id);
            }

            lab.StartWatchdog();
            await lab.WaitReadyAsync(cancellationToken);
            lab.StartupTime = clock.Elapsed;
            return lab;
        }
        catch
        {
            var logs = lab.LogTails();
            await lab.DisposeAsync();
            if (options.Detached)
            {
                await lab.StopAsync();
            }

            Console.Error.WriteLine(logs);
            throw;
        }
    }

    /// <summary>The lab a detached run left in <paramref name="root"/>, or null if there is none.</summary>
    public static SaltLab? Attach(string root)
    {
        var layout = new SaltLabLayout(Path.GetFullPath(root), 0, 0, 0);
        if (SaltLabState.Read(layout.StateFile) is not { } state)
        {
            return null;
        }

        var source = SaltSource.Current ?? throw new InvalidOperationException(SaltSource.Missing);
        var lab = new SaltLab(new SaltLabLayout(state.Root, state.PublishPort, state.RetPort, state.SpiroPort), source, new SaltLabOptions { Root = root, Detached = true }, ownsRoot: false);
        foreach (var (name, pid) in state.Pids)
        {
            // A pid from the state file counts only while it still runs a command of this lab (pids get reused).
            if (File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(state.Root, StringComparison.Ordinal))
            {
                lab._daemons[name] = ProcessGroup.Attach(pid);
            }
        }

        return lab;
    }

    /// <summary>Stops the master and every minion (each process group: SIGTERM, then SIGKILL after a grace period).</summary>
    public async Task StopAsync()
    {
        await Task.WhenAll(_daemons.Values.Select(group => group.StopAsync(StopGrace)));
        _daemons.Clear();
        File.Delete(Path.Combine(Layout.Root, "pids"));
        File.Delete(Layout.StateFile);
    }

    /// <summary>Drops (or replaces) <c>master.d/<paramref name="name"/></c>; takes effect at <see cref="RestartMasterAsync"/>.</summary>
    public void WriteMasterConfig(string name, string yaml) => File.WriteAllText(Path.Combine(Layout.MasterIncludeDir, name), yaml);

    /// <summary>Removes <c>master.d/<paramref name="name"/></c> if present; takes effect at <see cref="RestartMasterAsync"/>.</summary>
    public void RemoveMasterConfig(string name) => File.Delete(Path.Combine(Layout.MasterIncludeDir, name));

    /// <summary>Stops and starts the master (and with it the engine's server); returns once the running minions answer again.</summary>
    public async Task RestartMasterAsync(CancellationToken cancellationToken = default)
    {
        await StopDaemonAsync(Master);
        StartDaemon(Master);
        await WaitReadyAsync(cancellationToken);
    }

    /// <summary>Stops one minion; the master and the other minion keep running.</summary>
    public Task StopMinionAsync(string id) => StopDaemonAsync(CheckMinion(id));

    /// <summary>Starts a stopped minion and waits until it answers.</summary>
    public async Task StartMinionAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsRunning(CheckMinion(id)))
        {
            StartDaemon(id);
        }

        await WaitReadyAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_options.Detached)
        {
            return;
        }

        await StopAsync();
        if (_watchdog is not null)
        {
            await _watchdog.StopAsync(TimeSpan.FromSeconds(1));
        }

        if (_ownsRoot)
        {
            Directory.Delete(Layout.Root, recursive: true);
        }
    }

    private static string CheckMinion(string id) =>
        SaltLabLayout.MinionIds.Contains(id) ? id : throw new ArgumentException($"the lab has no minion '{id}' (it has {string.Join(", ", SaltLabLayout.MinionIds)})", nameof(id));

    private void StartDaemon(string name)
    {
        var (tool, configDir) = name switch
        {
            Master => ("salt-master", Layout.MasterConfigDir),
            SecondMaster => ("salt-master", Layout.SecondMasterConfigDir),
            _ => ("salt-minion", Layout.MinionConfigDir(name)),
        };
        var environment = new Dictionary<string, string>
        {
            // The engine's `spiro serve` runs `salt` from PATH: the lab's wrapper, so it reaches this master.
            ["PATH"] = $"{Layout.BinDir}:{Environment.GetEnvironmentVariable("PATH")}",
        };
        _daemons[name] = ProcessGroup.Start(
            $"exec {Shell.Quote(Path.Combine(Layout.BinDir, tool))} \"$@\"", ["-c", configDir, "-l", "warning"],
            Path.Combine(configDir, "daemon.log"), environment);
        WriteState();
    }

    private async Task StopDaemonAsync(string name)
    {
        if (_daemons.Remove(name, out var group))
        {
            await group.StopAsync(StopGrace);
            WriteState();
        }
    }

    private void WriteState() => new SaltLabState(
        Layout.Root, Layout.PublishPort, Layout.RetPort, Layout.SpiroPort, Source.ToString(),
        _daemons.ToDictionary(pair => pair.Key, pair => pair.Value.Id)).Write(Layout.StateFile);

    /// <summary>
    /// Kills the daemons if this process dies without disposing the lab (a crashed or killed test host):
    /// a shell in its own session polls our pid and kills the groups listed in the pids file.
    /// </summary>
    private void StartWatchdog()
    {
        if (_options.Detached)
        {
            return;
        }

        var pids = Shell.Quote(Path.Combine(Layout.Root, "pids"));
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; [ -e {pids} ] || exit 0; done\n"
            + $"list=$(cat {pids} 2>/dev/null) || exit 0\n"
            + "for p in $list; do kill -TERM -- -$p 2>/dev/null; done; sleep 5\n"
            + "for p in $list; do kill -KILL -- -$p 2>/dev/null; done\n";
        _watchdog = ProcessGroup.Start(script, [], "/dev/null");
    }

    private void KillNow()
    {
        foreach (var group in _daemons.Values)
        {
            group.KillNow();
        }
    }

    private string LogTails()
    {
        var files = new[] { Path.Combine(Layout.MasterConfigDir, "daemon.log"), Layout.MasterLog, Path.Combine(Layout.SecondMasterConfigDir, "daemon.log"), Layout.SecondMasterLog }
            .Concat(SaltLabLayout.MinionIds.SelectMany(id => new[] { Path.Combine(Layout.MinionConfigDir(id), "daemon.log"), Layout.MinionLog(id) }));
        return string.Join('\n', files.Where(File.Exists).Select(file =>
            $"--- {file} (last lines)\n" + string.Join('\n', File.ReadLines(file).TakeLast(20))));
    }
}
