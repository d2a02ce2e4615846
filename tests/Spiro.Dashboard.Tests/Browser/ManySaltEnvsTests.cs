using Spiro.Dashboard.Tests.Support;
using Spiro.Testing.Store;

namespace Spiro.Dashboard.Tests.Browser;

/// <summary>A second spiro serve whose store holds 1,000 live saltenvs, seen through the collection's browser.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class ManySaltEnvsTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const int Count = 1000;
    private readonly string _root = Directory.CreateTempSubdirectory("spiro-dashboard-many-").FullName;
    private SpiroServe _server = null!;

    public async Task InitializeAsync()
    {
        await ManySaltEnvs.PopulateAsync(Path.Combine(_root, "data"), Count);
        _server = await SpiroServe.StartAsync(_root, saltDelaySeconds: 0);
    }

    [Fact]
    public async Task Overview_With1000SaltEnvs_RendersEveryRow_AndTheFilterNarrowsIt()
    {
        var token = await _server.SpiroAsync("token", "issue-root", "--label", "admin");
        var context = await fixture.Chromium.Browser.NewContextAsync(new() { BaseURL = _server.Url.ToString().TrimEnd('/') });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/signin");
        await page.FillAsync("#token", token);
        await page.ClickAsync("form.signin button[type=submit]");
        await page.WaitForURLAsync("**/ui/");

        Assert.Equal(Count, await page.Locator("#saltenvs tbody tr").CountAsync());
        Assert.Equal($"{Count} saltenv(s)", await page.InnerTextAsync("#saltenv-count"));
        var last = ManySaltEnvs.Name(Count - 1).ToString();
        Assert.True(await page.Locator($"#saltenvs tr[data-name='{last}']").IsVisibleAsync());

        // Typing filters in the page (live.js); submitting filters on the server.
        await page.FillAsync("#filter", "many07/env4");
        Assert.Equal("10 saltenv(s)", await page.InnerTextAsync("#saltenv-count"));
        Assert.Equal(10, await page.Locator("#saltenvs tbody tr:not([hidden])").CountAsync());
        await page.ClickAsync("form.filter button");
        await page.WaitForURLAsync("**/ui/?q=many07%2Fenv4");
        Assert.Equal(10, await page.Locator("#saltenvs tbody tr").CountAsync());
        await context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var directory in new DirectoryInfo(_root).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            if (directory.LinkTarget is null)
            {
                directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            }
        }

        Directory.Delete(_root, recursive: true);
    }
}
