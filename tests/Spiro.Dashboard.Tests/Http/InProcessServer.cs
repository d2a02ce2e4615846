using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Tokens;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Dashboard.Tests.Http;

/// <summary>The real server (Kestrel on 127.0.0.1, own data directory and SQLite file) in-process, for HTTP-level dashboard tests.</summary>
internal sealed partial class InProcessServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly WebApplication _app;

    private InProcessServer(string root, WebApplication app)
    {
        _root = root;
        _app = app;
    }

    public Uri Url => new(_app.Urls.First() + "/");

    public AuditLog Audit => _app.Services.GetRequiredService<AuditLog>();

    public TokenStore Tokens => _app.Services.GetRequiredService<TokenStore>();

    public static async Task<InProcessServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("spiro-dashboard-http-").FullName;
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, Data = Path.Combine(root, "data"), ShutdownTimeout = TimeSpan.FromSeconds(1) };
        var app = SpiroServer.Build(configure?.Invoke(options) ?? options, new NoSaltHighstateService(), logging: l => l.SetMinimumLevel(LogLevel.Error));
        await app.StartAsync();
        return new InProcessServer(root, app);
    }

    public string Issue(TokenScope scope, string label = "test") => Tokens.Issue(new TokenRequest(scope, label, null, null)).Token;

    /// <summary>A client with its own cookie jar that does not follow redirects (tests look at them).</summary>
    public HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Url };

    /// <summary>The anti-forgery field of the form on <paramref name="path"/> (the GET also sets its cookie in the client's jar).</summary>
    public static async Task<string> CsrfAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return CsrfField().Match(html).Groups[1].Value;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string token, string? csrf = null)
    {
        csrf ??= await CsrfAsync(client, "ui/signin");
        return await client.PostAsync("ui/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = csrf, ["token"] = token }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
