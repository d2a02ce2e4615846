using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Tokens;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Testing.Server;

/// <summary>
/// The one real-server harness: Spiro.Server on 127.0.0.1 with a port the OS picks, its own data
/// directory and SQLite file (or a data directory the test shares with the CLI), Salt behind
/// whatever <see cref="IHighstateService"/> the test gives (<see cref="ScriptedHighstate"/> by default).
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsData;

    private TestServer(string directory, string data, bool ownsData, WebApplication app, HttpClient client)
    {
        Directory = directory;
        Data = data;
        _ownsData = ownsData;
        App = app;
        Client = client;
    }

    /// <summary>The temp directory the server owns (its data directory, unless given one).</summary>
    public string Directory { get; }

    /// <summary>The data directory it serves.</summary>
    public string Data { get; }

    public WebApplication App { get; }

    /// <summary>A client with <see cref="BaseAddress"/> (plain HTTP; a TLS server needs a client that trusts its certificate).</summary>
    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The server's address with a trailing slash, as a client is given it (<c>--server</c>).</summary>
    public Uri Url => new(App.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");

    public TokenStore Tokens => App.Services.GetRequiredService<TokenStore>();

    public AuditLog Audit => App.Services.GetRequiredService<AuditLog>();

    /// <param name="highstate">The Salt boundary; a <see cref="ScriptedHighstate"/> when null.</param>
    /// <param name="configure">Changes to the options (timeouts, TLS, limits).</param>
    /// <param name="data">A data directory to serve instead of a fresh one (left in place on dispose).</param>
    public static async Task<TestServer> StartAsync(IHighstateService? highstate = null, Func<ServerOptions, ServerOptions>? configure = null, string? data = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("spiro-server-").FullName;
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, Data = data ?? Path.Combine(directory, "data"), KeepAliveInterval = TimeSpan.FromSeconds(1) };
        options = configure?.Invoke(options) ?? options;
        var app = SpiroServer.Build(options, highstate ?? new ScriptedHighstate(), logging: l => l.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
        return new TestServer(directory, options.Data, data is null, app, client);
    }

    public string Issue(string[] projects, string[]? deployments = null, bool admin = false, DateTimeOffset? notBefore = null, TimeSpan? lifespan = null, string label = "test") =>
        Tokens.Issue(new TokenRequest(new TokenScope(projects, deployments ?? [], admin), label, notBefore, lifespan)).Token;

    public string Issue(TokenScope scope, string label = "test") => Tokens.Issue(new TokenRequest(scope, label, null, null)).Token;

    /// <summary>A CI token for <paramref name="project"/> (all deployments).</summary>
    public string Issue(string project) => Issue([project], label: "ci");

    public string IssueRoot() => Tokens.Issue(new TokenRequest(TokenScope.Root, "root", null, null)).Token;

    /// <summary>The release id <c>envs/P/D</c> points at, or null when the saltenv does not exist.</summary>
    public string? LiveRelease(string project, string deployment)
    {
        var link = new FileInfo(Path.Combine(Data, "envs", project, deployment));
        return link.LinkTarget is { } target ? Path.GetFileName(target) : null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            if (_ownsData)
            {
                MakeWritable(Directory);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Releases are read-only trees: give the owner write access back so they can be deleted.</summary>
    private static void MakeWritable(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (OperatingSystem.IsLinux() && entry.LinkTarget is null && entry is DirectoryInfo)
            {
                entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
            }
        }
    }
}
