using System.Globalization;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Support;

/// <summary>
/// A second <c>spiro serve</c> (real child process, plain HTTP on loopback) on the lab's store and
/// master, for settings the engine's server does not have (a short keep-alive interval). Tests of
/// the lab's collection run one at a time, so no deploy of another test runs while it starts.
/// </summary>
internal sealed class LabServer : IAsyncDisposable
{
    private readonly ProcessGroup _group;
    private readonly string _directory;

    private LabServer(ProcessGroup group, string directory, int port)
    {
        _group = group;
        _directory = directory;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public Uri Url { get; }

    public string Log => Path.Combine(_directory, "serve.log");

    public static async Task<LabServer> StartAsync(SaltLab lab, TimeSpan keepAlive)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var directory = Directory.CreateTempSubdirectory("spiro-labserver-").FullName;
        var config = Path.Combine(directory, "serve.yaml");
        await File.WriteAllTextAsync(config, $"keepalive_interval: {keepAlive.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s\n");
        var port = LoopbackPorts.Free(1)[0];
        var group = ProcessGroup.Start(
            $"exec {Shell.Quote(RepoPaths.SpiroCli)} \"$@\"",
            [
                "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", lab.Layout.SpiroData,
                "--salt-command", Path.Combine(lab.Layout.BinDir, "salt"), "--salt-config-dir", lab.Layout.MasterConfigDir, "--config", config,
            ],
            Path.Combine(directory, "serve.log"));
        var server = new LabServer(group, directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!await LoopbackPorts.IsListeningAsync(port))
        {
            if (!group.IsAlive || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(server.Log) ? await File.ReadAllTextAsync(server.Log) : "";
                await server.DisposeAsync();
                throw new InvalidOperationException($"spiro serve did not listen on {port}:\n{log}");
            }

            await Task.Delay(100);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _group.StopAsync(TimeSpan.FromSeconds(10));
        Directory.Delete(_directory, recursive: true);
    }
}
