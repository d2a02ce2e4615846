using Microsoft.Playwright;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>
/// The distribution's headless Chromium driven by Playwright's bundled driver (offline: no browser
/// download, no network). One browser per test collection; each test opens its own context.
/// Playwright gives every launch a fresh temporary --user-data-dir itself (it refuses one in Args).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install the distribution's browser (apt-get install -y chromium; .ci/run does)");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}
