using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>
/// One browser and one real <c>spiro serve</c> for the dashboard's browser tests, seeded once:
/// a root admin token, tokens for projects hello and foo, two releases of hello/dev, a failing
/// highstate of foo/bad whose state comment carries an XSS payload, and xss/dev whose
/// <c>.gitcommit</c> carries another.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Planted as the failing state's comment in the fake salt's foo/bad return.</summary>
    public const string CommentPayload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> Command failed";

    /// <summary>The first line of xss/dev's <c>.gitcommit</c> (shown as the release's commit).</summary>
    public const string CommitPayload = "<script>window.__xss=3</script><b onmouseover=alert(1)>deadbeef";

    private readonly string _root = Directory.CreateTempSubdirectory("spiro-dashboard-").FullName;

    public ChromiumBrowser Chromium { get; } = new();

    internal SpiroServe Server { get; private set; } = null!;

    public string RootToken { get; private set; } = "";

    public string HelloToken { get; private set; } = "";

    public string FooToken { get; private set; } = "";

    public string Repositories => Path.Combine(_root, "repos");

    /// <summary>Where screenshots go: $SPIRO_SCREENSHOTS, else artifacts/screenshots.</summary>
    public static string Screenshots =>
        Environment.GetEnvironmentVariable("SPIRO_SCREENSHOTS") is { Length: > 0 } dir ? dir
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "screenshots"));

    public async Task InitializeAsync()
    {
        await Chromium.InitializeAsync();
        Server = await SpiroServe.StartAsync(_root, saltDelaySeconds: 0.8);
        var failing = Server.Sample("hs.foo-bad.m1.stdout");
        var json = System.Text.Json.JsonSerializer.Serialize(CommentPayload);
        File.WriteAllText(failing, File.ReadAllText(failing).Replace("\"comment\": \"Command \\\"/bin/false\\\" run\"", "\"comment\": " + json, StringComparison.Ordinal));
        Assert.Contains("window.__xss=1", File.ReadAllText(failing), StringComparison.Ordinal);

        RootToken = await Server.SpiroAsync("token", "issue-root", "--label", "admin");
        HelloToken = await Server.SpiroAsync("token", "issue", "hello", "--label", "hello-ci");
        FooToken = await Server.SpiroAsync("token", "issue", "foo", "--label", "foo-ci");
        await DeployOkAsync("hello", "dev", "hello", "hello:\n  test.succeed_without_changes: []\n");
        await DeployOkAsync("hello", "dev", "hello", "hello:\n  test.succeed_without_changes: []\n# second release\n");
        var bad = await DeployAsync(FooToken, "foo", "bad", "failing", "must_fail:\n  cmd.run:\n    - name: /bin/false\n");
        Assert.True(bad.ExitCode == 1, $"foo/bad should fail on m1 (exit 1), got {bad.ExitCode}: {bad.Output}{bad.Error}");
        await UploadAsync("xss", "dev", "0000000 first\n");
        await UploadAsync("xss", "dev", CommitPayload + "\nsecond line <i>x</i>\n");
    }

    public Task<(int ExitCode, string Output, string Error)> DeployAsync(string token, string project, string deployment, string state, string body)
    {
        var repository = Support.Repositories.Write(Path.Combine(Repositories, $"{project}-{deployment}"), Support.Repositories.States(deployment, state, body));
        return Server.DeployAsync(repository, token, project, deployment);
    }

    /// <summary>A new browser context (own cookies) and page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.Url.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Chromium.DisposeAsync();
        foreach (var directory in new DirectoryInfo(_root).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            if (directory.LinkTarget is null)
            {
                directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    private async Task DeployOkAsync(string project, string deployment, string state, string body)
    {
        var result = await DeployAsync(HelloToken, project, deployment, state, body);
        Assert.True(result.ExitCode == 0, $"deploy {project}/{deployment} exited {result.ExitCode}: {result.Output}{result.Error}");
    }

    /// <summary>A bundle straight to the v1 API (spiro-deploy writes .gitcommit from git; this one is hand-made).</summary>
    private async Task UploadAsync(string project, string deployment, string gitCommit)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, text) in new Dictionary<string, string> { [".gitcommit"] = gitCommit, ["spirotop.sls"] = $"{deployment}:\n  '*':\n    - web\n", ["web/init.sls"] = "web: {}\n" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/deploys?project={project}&deployment={deployment}&highstate=false") { Content = new ByteArrayContent(tar.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RootToken);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && body.Contains("succeeded", StringComparison.Ordinal), $"upload of {project}/{deployment}: {(int)response.StatusCode} {body}");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardTestGroup : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
