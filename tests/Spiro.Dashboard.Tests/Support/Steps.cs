using Microsoft.Playwright;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>Steps the browser tests share.</summary>
internal static class Steps
{
    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/ui/signin");
        await page.FillAsync("#token", token);
        await page.ClickAsync("form.signin button[type=submit]");
        await page.WaitForURLAsync("**/ui/");
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(DashboardFixture.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>The live release id of <paramref name="saltEnv"/> as <c>spiro releases --json</c> reports it.</summary>
    public static async Task<string> LiveReleaseAsync(SpiroServe server, string saltEnv)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await server.SpiroAsync("releases", saltEnv, "--json"));
        return json.RootElement.EnumerateArray().Single(r => r.GetProperty("live").GetBoolean()).GetProperty("id").GetString()!;
    }
}
