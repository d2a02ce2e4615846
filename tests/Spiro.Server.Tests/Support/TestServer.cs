using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Tokens;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Server.Tests.Support;

/// <summary>A real server on 127.0.0.1 with a port the OS picks, its own data directory and SQLite file.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(string directory, WebApplication app, HttpClient client)
    {
        Directory = directory;
        App = app;
        Client = client;
    }

    public string Directory { get; }

    public string Data => Path.Combine(Directory, "data");

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public TokenStore Tokens => App.Services.GetRequiredService<TokenStore>();

    public AuditLog Audit => App.Services.GetRequiredService<AuditLog>();

    public static async Task<TestServer> StartAsync(IHighstateService? highstate = null, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("spiro-server-").FullName;
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, Data = Path.Combine(directory, "data"), KeepAliveInterval = TimeSpan.FromSeconds(1) };
        options = configure?.Invoke(options) ?? options;
        var app = SpiroServer.Build(options, highstate ?? new ScriptedHighstate(), logging: l => l.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
        return new TestServer(directory, app, client);
    }

    public string Issue(string[] projects, string[]? deployments = null, bool admin = false, DateTimeOffset? notBefore = null, TimeSpan? lifespan = null) =>
        Tokens.Issue(new TokenRequest(new TokenScope(projects, deployments ?? [], admin), "test", notBefore, lifespan)).Token;

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
            MakeWritable(Directory);
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
