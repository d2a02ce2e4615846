using System.Globalization;
using Spiro.Testing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Support;

/// <summary>
/// One master of a test cluster: a real <c>spiro serve</c> child process (plain HTTP on loopback,
/// no Salt) with its own data directory and a <c>cluster:</c> config on the shared PostgreSQL
/// database and bucket. Stop it gently, kill it (SIGKILL) or start it again on the same directory.
/// </summary>
internal sealed class ClusterMaster : IAsyncDisposable
{
    private readonly string _config;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private ProcessGroup? _group;

    private ClusterMaster(string name, string root, string config, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Root = root;
        _config = config;
        Port = port;
        _environment = environment;
    }

    public string Name { get; }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string Log => Path.Combine(Root, "serve.log");

    public bool IsAlive => _group?.IsAlive == true;

    /// <summary>The file this master serves <paramref name="relative"/> of saltenv foo/dev from (what the Salt adapter reads), or null.</summary>
    public string? Served(string saltEnv, string relative)
    {
        var path = Path.Combine(Data, "envs", saltEnv, relative);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The release this master serves in <paramref name="saltEnv"/>, from its symlink.</summary>
    public string? Live(string saltEnv)
    {
        var link = new FileInfo(Path.Combine(Data, "envs", saltEnv));
        return link.LinkTarget is { } target ? Path.GetFileName(target) : null;
    }

    public static async Task<ClusterMaster> StartAsync(ClusterServicesFixture services, string root, string name, string database, string bucket, string extra = "", IReadOnlyDictionary<string, string>? environment = null, string objects = "")
    {
        ArgumentNullException.ThrowIfNull(services);
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        var config = ClusterConfigFile.Write(services, directory, "serve.yaml", database, bucket, name, extra, objects);
        var master = new ClusterMaster(name, directory, config, LoopbackPorts.Free(1)[0], environment ?? new Dictionary<string, string>());
        await master.StartAgainAsync();
        return master;
    }

    /// <summary>Starts the process (again) and waits until it listens; throws with its log when it does not.</summary>
    public async Task StartAgainAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        _group = ProcessGroup.Start(
            $"exec {Shell.Quote(RepoPaths.SpiroCli)} \"$@\"",
            ["serve", "--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--data", Data, "--salt-command", "none", "--config", _config],
            Log,
            environment ?? _environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await LoopbackPorts.IsListeningAsync(Port))
        {
            if (!_group.IsAlive || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(Log) ? await File.ReadAllTextAsync(Log) : "";
                await _group.StopAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"spiro serve ({Name}) did not listen on {Port}:\n{log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL, no clean-up: as a crash.</summary>
    public async Task KillAsync()
    {
        if (_group is not null)
        {
            _group.KillNow();
            await _group.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>SIGSTOP: the process hangs (no following, no heartbeat) but counts as live for <c>MasterRegistry.LiveWindow</c>.</summary>
    public void Pause() => _group?.Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _group?.Resume();

    public async Task StopAsync()
    {
        if (_group is not null)
        {
            await _group.StopAsync(TimeSpan.FromSeconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Resume();
        await StopAsync();
    }
}
