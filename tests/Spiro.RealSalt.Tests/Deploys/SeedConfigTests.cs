using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Deploys;

/// <summary>The master config `spiro salt install` prints, used verbatim (TLS engine included), on a real master.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class SeedConfigTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task SeedConfig_AsPrinted_IsWhatTheMasterRuns()
    {
        var lab = salt.Lab;
        Assert.Equal(lab.SeedConfig, await File.ReadAllTextAsync(Path.Combine(lab.Layout.MasterIncludeDir, "spiro.conf")));
        Assert.Contains("fileserver_backend:\n  - roots\n  - spiro\n", lab.SeedConfig, StringComparison.Ordinal);
        Assert.Contains($"engines:\n  - spiro:\n      port: {lab.Layout.SpiroPort}\n      ssl_crt: {lab.Certificate.CertificateFile}", lab.SeedConfig, StringComparison.Ordinal);
        Assert.Contains($"ssl_key: {lab.Certificate.KeyFile}", lab.SeedConfig, StringComparison.Ordinal);

        // The master's own view of the option, through its execution modules.
        var backends = await lab.SaltRunJsonAsync("salt.cmd", "config.get", "fileserver_backend");
        Assert.Equal("[\"roots\",\"spiro\"]", backends?.ToJsonString());
    }

    [SaltFact]
    public async Task Deploy_OverHttpsToTheEngineStartedServer_HighstatesBothMinions()
    {
        var lab = salt.Lab;
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  '*':\n    - app\n");
        project.Write("_salt/app/init.sls", """
            app-file:
              file.managed:
                - name: {{ opts['cachedir'] }}/spiro-tests/https/app.conf
                - source: salt://app/app.conf
                - makedirs: True
            """);
        project.Write("_salt/app/app.conf", "served over https\n");
        var token = await lab.IssueTokenAsync("https");

        var deploy = await lab.DeployAsync(project.Path, token, "https", "dev");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("m1", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("m2", deploy.Output, StringComparison.Ordinal);
        foreach (var minion in SaltLabLayout.MinionIds)
        {
            var written = Path.Combine(lab.Layout.MinionConfigDir(minion), "cache", "spiro-tests", "https", "app.conf");
            Assert.Equal("served over https\n", await File.ReadAllTextAsync(written));
        }
    }
}
