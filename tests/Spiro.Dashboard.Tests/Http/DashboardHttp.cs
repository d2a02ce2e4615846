using System.Net;
using System.Text.RegularExpressions;
using Spiro.Core.Highstate;
using Spiro.Server.Options;

namespace Spiro.Dashboard.Tests.Http;

/// <summary>The shared <see cref="TestServer"/> for HTTP-level dashboard tests (no Salt), with a browser-like client and sign-in.</summary>
internal static partial class DashboardHttp
{
    public static Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null) =>
        TestServer.StartAsync(new NoSaltHighstateService(), options =>
        {
            options = options with { ShutdownTimeout = TimeSpan.FromSeconds(1) };
            return configure?.Invoke(options) ?? options;
        });

    /// <summary>A client with its own cookie jar that does not follow redirects (tests look at them).</summary>
    public static HttpClient BrowserClient(this TestServer server) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.Url };

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

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
