using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Spiro.Cluster.Tests.Support;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// The dashboard's rollback, promote and delete buttons wait for the other masters as the routes
/// and the CLI do (docs/cluster.md): the page after the action comes once every live master serves
/// the change, or after <c>cluster.apply_timeout</c> naming the master that has not applied it yet
/// (here one hung with SIGSTOP: live by its last heartbeat, following nothing).
/// </summary>
public sealed partial class TwoMasterTests
{
    [ClusterFact]
    public async Task DashboardRollbackPromoteAndDelete_WaitForTheOtherMaster_AndNameItWhenItHasNotApplied()
    {
        var a = await StartAsync("master-a", "  apply_timeout: 4s");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var release1 = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" })).Status);
        var release2 = a.Live(SaltEnv)!;
        using var browser = await SignedInBrowserAsync(a, PromoteToken());

        // Both follow: the page comes once B serves the rollback too, and names both.
        var (status, page) = await ConfirmAndPostAsync(browser, $"ui/saltenvs/{SaltEnv}/rollback");
        Assert.True(status == HttpStatusCode.OK, page);
        Assert.Equal(release1, b.Live(SaltEnv));
        Assert.Equal("Serve it: master-a, master-b", Text(page, "masters-serving"));
        Assert.Null(Text(page, "masters-lagging"));

        // B hangs: the rollback stands, and after the timeout the page says B has not applied it.
        var (clock, rolledBack) = await WhilePausedAsync(b, () => ConfirmAndPostAsync(browser, $"ui/saltenvs/{SaltEnv}/rollback?release={release2}"));
        Assert.True(rolledBack.Status == HttpStatusCode.OK, rolledBack.Page);
        Assert.True(clock >= TimeSpan.FromSeconds(4), $"answered after {clock}, before cluster.apply_timeout");
        Assert.StartsWith("Not applied yet: master-b ", Text(rolledBack.Page, "masters-lagging"), StringComparison.Ordinal);
        Assert.Equal("Serve it: master-a", Text(rolledBack.Page, "masters-serving"));
        Assert.Contains($"Master master-b did not serve release {release2} of foo/dev within 4 s (cluster.apply_timeout)", rolledBack.Page, StringComparison.Ordinal);
        Assert.Equal(release2, a.Live(SaltEnv));
        await EventuallyAsync(() => b.Live(SaltEnv) == release2, $"{b.Name} follows the rollback once resumed", b);

        // The promote button waits the same way.
        var (_, promoted) = await WhilePausedAsync(b, () => ConfirmAndPostAsync(browser, $"ui/saltenvs/{SaltEnv}/promote?to=prod"));
        Assert.True(promoted.Status == HttpStatusCode.OK, promoted.Page);
        Assert.StartsWith("Not applied yet: master-b ", Text(promoted.Page, "masters-lagging"), StringComparison.Ordinal);
        var prod = a.Live("foo/prod")!;
        Assert.Contains($"Master master-b did not serve release {prod} of foo/prod within 4 s", promoted.Page, StringComparison.Ordinal);
        await EventuallyAsync(() => b.Live("foo/prod") == prod, $"{b.Name} follows the promote once resumed", b);

        // And the delete button.
        var (_, deleted) = await WhilePausedAsync(b, () => ConfirmAndPostAsync(browser, $"ui/saltenvs/{SaltEnv}/delete"));
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.Page);
        Assert.StartsWith("Not applied yet: master-b ", Text(deleted.Page, "masters-lagging"), StringComparison.Ordinal);
        Assert.Contains("Master master-b did not follow the delete of foo/dev within 4 s", deleted.Page, StringComparison.Ordinal);
        Assert.Null(a.Live(SaltEnv));
        await EventuallyAsync(() => b.Live(SaltEnv) is null, $"{b.Name} follows the delete once resumed", b);
    }

    private static async Task<(TimeSpan Elapsed, T Result)> WhilePausedAsync<T>(ClusterMaster master, Func<Task<T>> action)
    {
        master.Pause();
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await action();
            return (clock.Elapsed, result);
        }
        finally
        {
            master.Resume();
        }
    }

    private static async Task<HttpClient> SignedInBrowserAsync(ClusterMaster master, string token)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = master.Url, Timeout = TimeSpan.FromMinutes(3) };
        var csrf = HiddenFields(await browser.GetStringAsync("ui/signin"))["_csrf"];
        using var signIn = await browser.PostAsync("ui/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = csrf, ["token"] = token }));
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {signIn.StatusCode}");
        return browser;
    }

    /// <summary>Opens the confirmation page at <paramref name="path"/> and submits its form, as the button does.</summary>
    private static async Task<(HttpStatusCode Status, string Page)> ConfirmAndPostAsync(HttpClient browser, string path)
    {
        using var confirm = await browser.GetAsync(path);
        var html = await confirm.Content.ReadAsStringAsync();
        Assert.True(confirm.StatusCode == HttpStatusCode.OK, html);
        var form = ConfirmForm().Match(html);
        Assert.True(form.Success, html);
        using var response = await browser.PostAsync(form.Groups[1].Value.TrimStart('/'), new FormUrlEncodedContent(HiddenFields(form.Groups[2].Value)));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static Dictionary<string, string> HiddenFields(string html) =>
        HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    /// <summary>The text of the element with id <paramref name="id"/> on a (decoded) page, or null when there is none.</summary>
    private static string? Text(string page, string id) =>
        Regex.Match(page, $"id=\"{id}\">([^<]*)<") is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\" class=\"confirm\">(.*?)</form>")]
    private static partial Regex ConfirmForm();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
