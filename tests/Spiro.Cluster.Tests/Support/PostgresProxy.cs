using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;

namespace Spiro.Cluster.Tests.Support;

/// <summary>
/// A TCP relay between a client and the test PostgreSQL that plays network faults a dead peer
/// makes: <see cref="Freeze"/> stops relaying in both directions while every socket stays open
/// (a host that vanished, or a hung process: nothing is sent, nothing closes), and
/// <see cref="CutAtNextCommit"/> cuts the connection that sends the next <c>COMMIT</c>, after
/// relaying it (PostgreSQL commits, the client never hears so) or instead of relaying it.
/// </summary>
internal sealed class PostgresProxy : IAsyncDisposable
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private volatile TaskCompletionSource _thawed = CompletedSource();
    private volatile int _cut; // 0: none, 1: relay then cut, 2: cut without relaying
    private readonly Task _accepting;

    private PostgresProxy(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether the armed cut happened.</summary>
    public bool Cut { get; private set; }

    public static PostgresProxy Start(int postgresPort) => new(postgresPort);

    /// <summary><paramref name="connectionString"/> through this relay.</summary>
    public string Through(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Port = Port }.ConnectionString;

    public void Freeze() => _thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="relayFirst">True: PostgreSQL gets the COMMIT (and commits); false: it never does.</param>
    public void CutAtNextCommit(bool relayFirst) => _cut = relayFirst ? 1 : 2;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                var severed = new StrongBox<bool>();
                _ = PumpAsync(client, server, severed, watchCommits: true);
                _ = PumpAsync(server, client, severed, watchCommits: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // severed: set when the pair is being cut; from then on nothing reaches the client (not even COMMIT's answer).
    private async Task PumpAsync(Socket from, Socket to, StrongBox<bool> severed, bool watchCommits)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await _thawed.Task.WaitAsync(_stop.Token);
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                await _thawed.Task.WaitAsync(_stop.Token);
                var cut = watchCommits && _cut != 0 && buffer.AsSpan(0, read).IndexOf(Commit) >= 0 ? Interlocked.Exchange(ref _cut, 0) : 0;
                if (cut != 0)
                {
                    severed.Value = true;
                }

                if (cut != 2 && (watchCommits || !severed.Value))
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }

                if (cut != 0)
                {
                    // Give PostgreSQL the time to commit before the client loses the connection.
                    await Task.Delay(TimeSpan.FromMilliseconds(500), _stop.Token);
                    Cut = true;
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        from.Close();
        to.Close();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
