using System.Globalization;

namespace Spiro.Testing.Services;

/// <summary>
/// A throwaway PostgreSQL from the distribution (<c>postgresql</c>): <c>initdb</c> on a private
/// directory, <c>pg_ctl</c> on a free loopback port, trust authentication for the role
/// <c>spiro</c>, no fsync (the data is thrown away). Each test takes its own database
/// (<see cref="CreateDatabaseAsync"/>), so one server serves a whole test run. docs/testing.md.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Role = "spiro";

    private PostgresServer(string binaries, string directory, int port)
    {
        Binaries = binaries;
        Directory = directory;
        Port = port;
    }

    /// <summary>The PostgreSQL bin directory in use.</summary>
    public string Binaries { get; }

    /// <summary>The private directory (data in <c>data/</c>, socket and log beside it).</summary>
    public string Directory { get; }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    private string Data => Path.Combine(Directory, "data");

    private string Log => Path.Combine(Directory, "postgres.log");

    /// <summary>The newest installed <c>/usr/lib/postgresql/N/bin</c> with initdb, or null.</summary>
    public static string? FindBinaries() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    /// <summary>Creates and starts a server; throws with the log when it does not come up.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql): no /usr/lib/postgresql/*/bin/initdb");
        var directory = System.IO.Directory.CreateTempSubdirectory("spiro-pg-").FullName;
        // The service account reaches the directory through /tmp, so it must be searchable.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        await ServiceUser.PrepareAsync(directory);
        var server = new PostgresServer(binaries, directory, LoopbackPorts.Free(1)[0]);
        var init = await ServiceUser.RunAsync(Path.Combine(binaries, "initdb"), ["-D", server.Data, "-U", Role, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"], TimeSpan.FromMinutes(2));
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed: {init}");
        }

        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A connection string for <paramref name="database"/> (Npgsql syntax).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Role};Database={database};Pooling=true;Timeout=5;Command Timeout=30";

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        var psql = Path.Combine(Binaries, "psql");
        var create = await ProcessRunner.RunAsync(psql, ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Role, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE {name}"], TimeSpan.FromSeconds(60));
        if (create.ExitCode != 0)
        {
            throw new InvalidOperationException($"CREATE DATABASE failed: {create}");
        }

        return ConnectionString(name);
    }

    /// <summary>Stops the server at once (what a crash or an outage looks like to clients); <see cref="StartAgainAsync"/> brings it back with its data.</summary>
    public async Task StopAsync()
    {
        var stop = await ServiceUser.RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], TimeSpan.FromSeconds(60));
        if (stop.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {stop}");
        }
    }

    /// <summary>Starts the (stopped) server on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var options = $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        var start = await ServiceUser.RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", Data, "-l", Log, "-o", options, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90));
        if (start.ExitCode != 0)
        {
            var log = File.Exists(Log) ? await File.ReadAllTextAsync(Log) : "(no log)";
            throw new InvalidOperationException($"pg_ctl start failed: {start}\n--- {Log}\n{log}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ServiceUser.RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], TimeSpan.FromSeconds(60));
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
