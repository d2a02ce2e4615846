using Microsoft.Playwright;
using Spiro.Dashboard.Tests.Support;

namespace Spiro.Dashboard.Tests.Browser;

/// <summary>The dashboard in headless Chromium against a real spiro serve with the fake salt.</summary>
[Collection(DashboardTestGroup.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture)
{
    [Fact]
    public async Task SignIn_ShowsTheOverview_AndSignOut_EndsTheSession()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/ui/");
        Assert.EndsWith("/ui/signin", page.Url, StringComparison.Ordinal);

        await Steps.SignInAsync(page, fixture.RootToken);
        Assert.True(await page.Locator("#saltenvs tr[data-name='hello/dev']").IsVisibleAsync());
        Assert.Contains("token:", await page.InnerTextAsync("nav .who"), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.RootToken, await page.ContentAsync(), StringComparison.Ordinal);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "spiro_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);
        await Steps.ScreenshotAsync(page, "overview");

        await page.ClickAsync("form.signout button");
        await page.WaitForURLAsync("**/ui/signin");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "spiro_session");
        var again = await page.GotoAsync("/ui/saltenvs/hello/dev");
        Assert.EndsWith("/ui/signin", again!.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.RootToken, fixture.Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopedToken_DoesNotSeeAnotherProject_InTheListOrByDirectUrl()
    {
        var admin = await fixture.NewPageAsync();
        await Steps.SignInAsync(admin, fixture.RootToken);
        await admin.GotoAsync("/ui/saltenvs/foo/bad");
        var fooRelease = await admin.GetAttributeAsync("#releases tbody tr.live a", "href");
        var fooDeploy = await admin.GetAttributeAsync("#deploys tbody tr a", "href");

        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.HelloToken);
        Assert.Equal(1, await page.Locator("#saltenvs tbody tr").CountAsync());
        Assert.DoesNotContain("foo/", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("a[href='/ui/admin/tokens']").CountAsync());

        var missing = await page.GotoAsync("/ui/saltenvs/nosuch/dev");
        var missingText = await page.InnerTextAsync("#message");
        foreach (var url in new[] { "/ui/saltenvs/foo/bad", fooRelease!, fooDeploy!, "/ui/saltenvs/foo/bad/rollback", "/ui/admin/tokens", "/ui/admin/audit" })
        {
            var response = await page.GotoAsync(url);
            Assert.Equal(404, response!.Status);
            Assert.Equal(missingText, await page.InnerTextAsync("#message"));
            Assert.DoesNotContain("foo/bad", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        }

        Assert.Equal(404, missing!.Status);
        var stream = await page.APIRequest.GetAsync(fooDeploy + "/events");
        Assert.Equal(404, stream.Status);
    }

    [Fact]
    public async Task DeployStartedBySpiroDeploy_ShowsUpLive_AndEndsWithPerMinionResults()
    {
        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.RootToken);
        await page.GotoAsync("/ui/saltenvs/foo/bad");
        var before = await page.Locator("#deploys tbody tr").CountAsync();
        var deploy = fixture.DeployAsync(fixture.FooToken, "foo", "bad", "failing", "must_fail:\n  cmd.run:\n    - name: /bin/false\n# live\n");

        string? running = null;
        for (var i = 0; i < 100 && running is null; i++)
        {
            await page.ReloadAsync();
            var link = page.Locator("#deploys tbody tr:first-child a");
            if (await page.Locator("#deploys tbody tr").CountAsync() > before && await page.Locator("#deploys tbody tr:first-child .status.running").CountAsync() == 1)
            {
                running = await link.GetAttributeAsync("href");
            }
            else
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(running);
        await page.GotoAsync(running);
        Assert.Equal("running", await page.InnerTextAsync("#deploy-status"));
        var rendered = await page.Locator("#events li").CountAsync();

        // New events are appended by live.js from the SSE stream while the page still shows "running".
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#events li').length > n && document.getElementById('deploy-status').textContent === 'running'", rendered);

        // deploy-finish reloads the page, now rendered from the stored events.
        // The deploy itself succeeds (it published); the failing minion is reported per minion.
        await page.WaitForFunctionAsync("() => document.getElementById('deploy-status').textContent === 'succeeded'", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.Equal(1, (await deploy).ExitCode);
        var minion = page.Locator("details.minion[data-minion='m1']");
        Assert.Equal(1, await minion.CountAsync());
        Assert.NotNull(await minion.GetAttributeAsync("open"));
        Assert.Contains("must_fail", await minion.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("retcode", await minion.Locator("pre.changes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#events li.event.deploy-finish").CountAsync() == 1);
        await Steps.ScreenshotAsync(page, "deploy");
    }

    [Fact]
    public async Task FailingMinion_OnTheReleasePage_ShowsItsFailingStateExpanded()
    {
        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.FooToken);
        await page.GotoAsync("/ui/saltenvs/foo/bad");
        await page.ClickAsync("#releases tbody tr.live a");
        var minion = page.Locator("details.minion.failed[data-minion='m1']").First;
        Assert.NotNull(await minion.GetAttributeAsync("open"));
        Assert.True(await minion.Locator(".failing-state").IsVisibleAsync());
        Assert.Contains("must_fail", await minion.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("/bin/false", await minion.InnerTextAsync(), StringComparison.Ordinal);
        // The failing cmd.run's changes (its retcode) come from the stored result, not the deploy's events.
        Assert.Contains("retcode", await minion.Locator("pre.changes").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("'foo/bad'", await page.InnerTextAsync("#top-sls"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#files tr.file").CountAsync() >= 2);
        await Steps.ScreenshotAsync(page, "release");
    }

    [Fact]
    public async Task Rollback_FromTheSaltEnvPage_AsAdmin_ChangesTheLiveRelease()
    {
        var live = await Steps.LiveReleaseAsync(fixture.Server, "hello/dev");
        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.RootToken);
        await page.GotoAsync("/ui/saltenvs/hello/dev");
        await Steps.ScreenshotAsync(page, "saltenv");
        var target = await page.Locator("#releases tbody tr:not(.live) a.mono").First.InnerTextAsync();
        await page.Locator("#releases tbody tr:not(.live) a.button").First.ClickAsync();
        Assert.Contains(target, await page.InnerTextAsync("p.question"), StringComparison.Ordinal);
        Assert.Equal(live, await Steps.LiveReleaseAsync(fixture.Server, "hello/dev"));

        await page.ClickAsync("form.confirm button");
        Assert.Contains($"{target} is live", await page.InnerTextAsync("#message"), StringComparison.Ordinal);
        Assert.Equal(target, await Steps.LiveReleaseAsync(fixture.Server, "hello/dev"));
        var audit = await fixture.Server.SpiroAsync("audit", "--limit", "5");
        Assert.Contains("rollback", audit, StringComparison.Ordinal);
        Assert.Contains("(admin)", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollbackForm_WithoutItsAntiForgeryToken_IsRefusedAndChangesNothing()
    {
        var live = await Steps.LiveReleaseAsync(fixture.Server, "hello/dev");
        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.RootToken);
        await page.GotoAsync("/ui/saltenvs/hello/dev");
        await page.Locator("#releases tbody tr:not(.live) a.button").First.ClickAsync();
        await page.EvaluateAsync("() => document.querySelector('form.confirm input[name=_csrf]').remove()");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form.confirm button"), r => r.Request.Method == "POST");
        Assert.Equal(400, response!.Status);
        Assert.Contains("anti-forgery", await page.InnerTextAsync("#message"), StringComparison.Ordinal);
        Assert.Equal(live, await Steps.LiveReleaseAsync(fixture.Server, "hello/dev"));
    }

    [Fact]
    public async Task XssPayloads_InAStateCommentAndInGitCommit_AreShownAsText()
    {
        var page = await fixture.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await Steps.SignInAsync(page, fixture.RootToken);

        await page.GotoAsync("/ui/saltenvs/foo/bad");
        await page.ClickAsync("#releases tbody tr.live a");
        Assert.Contains(DashboardFixture.CommentPayload, await page.Locator("pre.comment").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/ui/saltenvs/foo/bad");
        await page.ClickAsync("#deploys tbody tr:first-child a");
        Assert.Contains(DashboardFixture.CommentPayload, await page.Locator("pre.comment").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));

        await page.GotoAsync("/ui/?q=xss");
        var commit = page.Locator("#saltenvs tr[data-name='xss/dev'] td.mono");
        Assert.Equal(DashboardFixture.CommitPayload, await commit.GetAttributeAsync("title"));
        await page.ClickAsync("#saltenvs tr[data-name='xss/dev'] td:nth-child(2) a");
        Assert.Contains(DashboardFixture.CommitPayload, await page.InnerTextAsync("dl.facts"), StringComparison.Ordinal);
        Assert.Contains("+" + DashboardFixture.CommitPayload, await page.InnerTextAsync("#diff pre.diff"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("main script, main img, main b[onmouseover]").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal(0, dialogs);
        await Steps.ScreenshotAsync(page, "release-diff");
    }

    [Fact]
    public async Task AdminPages_ListTokensWithoutSecrets_AndTheAuditLogVerifies()
    {
        var page = await fixture.NewPageAsync();
        await Steps.SignInAsync(page, fixture.RootToken);
        await page.ClickAsync("a[href='/ui/admin/tokens']");
        Assert.True(await page.Locator("#tokens tbody tr").CountAsync() >= 3);
        var html = await page.ContentAsync();
        foreach (var token in new[] { fixture.RootToken, fixture.HelloToken, fixture.FooToken })
        {
            Assert.DoesNotContain(token, html, StringComparison.Ordinal);
        }

        await Steps.ScreenshotAsync(page, "tokens");
        await page.ClickAsync("a[href='/ui/admin/audit']");
        Assert.StartsWith("Hash chain verified", await page.InnerTextAsync("#audit-verify"), StringComparison.Ordinal);
        Assert.Contains("ui.signin", await page.InnerTextAsync("#audit"), StringComparison.Ordinal);
        await Steps.ScreenshotAsync(page, "audit");
    }
}
