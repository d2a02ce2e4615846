using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Tokens;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Deploy.Tests.Support;

/// <summary>The real deploy server (Spiro.Server) on 127.0.0.1, its own data directory and SQLite file, Salt faked by <see cref="SampleSalt"/>.</summary>
internal sealed class RealServer : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly WebApplication app;

    private RealServer(TempDirectory directory, WebApplication app)
    {
        this.directory = directory;
        this.app = app;
    }

    public Uri Url => new(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");

    /// <param name="salt">The Salt boundary.</param>
    /// <param name="tls">PEM certificate and key files to serve HTTPS with, or null for HTTP.</param>
    public static Task<RealServer> StartAsync(ISaltClient salt, (string Certificate, string Key)? tls = null) =>
        StartCoreAsync(new HighstateOrchestrator(salt, new HighstateOptions(), null, TimeProvider.System), tls);

    /// <summary>The server driving tests/fake-salt/salt through the real salt CLI client (Spiro.Salt).</summary>
    public static Task<RealServer> StartWithFakeSaltAsync()
    {
        var fake = Path.Combine(AppContext.BaseDirectory, "fake-salt", "salt");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(fake, File.GetUnixFileMode(fake) | UnixFileMode.UserExecute);
        }

        return StartCoreAsync(Spiro.Salt.SaltHighstate.Create(new Spiro.Salt.SaltOptions { Command = fake }, null, TimeProvider.System), null);
    }

    private static async Task<RealServer> StartCoreAsync(IHighstateService highstate, (string Certificate, string Key)? tls)
    {
        var directory = new TempDirectory();
        var options = new ServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            Data = Path.Combine(directory.Path, "data"),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            ShutdownTimeout = TimeSpan.FromSeconds(1),
            SslCrt = tls?.Certificate,
            SslKey = tls?.Key,
        };
        var app = SpiroServer.Build(options, highstate, logging: l => l.SetMinimumLevel(LogLevel.Error));
        await app.StartAsync();
        return new RealServer(directory, app);
    }

    /// <summary>A token for <paramref name="project"/> (all deployments).</summary>
    public string Issue(string project) =>
        app.Services.GetRequiredService<TokenStore>().Issue(new TokenRequest(new TokenScope([project], [], false), "ci", null, null)).Token;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var entry in new DirectoryInfo(directory.Path).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            if (OperatingSystem.IsLinux() && entry.LinkTarget is null)
            {
                entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            }
        }

        directory.Dispose();
    }
}
