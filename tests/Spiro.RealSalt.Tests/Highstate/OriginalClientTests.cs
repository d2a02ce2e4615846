using Spiro.RealSalt.Tests.Support;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Highstate;

/// <summary>
/// The original spiro-deploy 0.2 logic (tests/original-client) against the real server and real
/// Salt: its exit code follows the highstate, it prints each state, and it survives keep-alives.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class OriginalClientTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task FailingHighstateLongerThanTheKeepAliveInterval_ExitsNonZero_AndPrintsEachState()
    {
        var lab = salt.Lab;
        await using var server = await LabServer.StartAsync(lab, keepAlive: TimeSpan.FromSeconds(1));
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - slow\n");
        project.Write("_salt/slow.sls", "take_a_while:\n  cmd.run:\n    - name: sleep 4\nmust_fail:\n  test.fail_without_changes\n");
        var token = await lab.IssueTokenAsync("original");
        try
        {
            var result = await OriginalClient.DeployAsync(project.Path, server.Url, token, "original", "dev");

            // Before: exit 0 with an opaque "(Result) {...}", or a TypeError on the first keep-alive.
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.DoesNotContain("Traceback", result.Error, StringComparison.Ordinal);
            Assert.Contains("    [True] take_a_while (cmd.run): Command \"sleep 4\" run\n", result.Output, StringComparison.Ordinal);
            Assert.Contains("    [False] must_fail (test.fail_without_changes): Failure!\n", result.Output, StringComparison.Ordinal);
            Assert.Contains(": keepalive\n", await RawStreamAsync(server, token, project.Path), StringComparison.Ordinal);
        }
        finally
        {
            await lab.SpiroAsync("delete", "original/dev", "--yes");
        }
    }

    [SaltFact]
    public async Task SucceedingHighstate_ExitsZero()
    {
        var lab = salt.Lab;
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "prod:\n  'm1':\n    - app\n");
        project.Write("_salt/app.sls", "ok_one:\n  test.succeed_without_changes\n");
        var token = await lab.IssueTokenAsync("original");

        var result = await OriginalClient.DeployAsync(project.Path, lab.SpiroUrl, token, "original", "prod", "--ssl-cert", lab.Certificate.CaFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("m1\n    [True] ok_one (test.succeed_without_changes): Success!\n", result.Output, StringComparison.Ordinal);
    }

    // What the server wrote, byte for byte, for the same kind of slow highstate (the keep-alive is there).
    private static async Task<string> RawStreamAsync(LabServer server, string token, string projectDir)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var bundle = Path.Combine(projectDir, "bundle.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(Path.Combine(projectDir, "_salt"), bundle, includeBaseDirectory: false);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("original"), "project" },
            { new StringContent("dev"), "deployment" },
            { new StringContent("True"), "highstate" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(bundle)), "bundle", "bundle.tar" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Url) { Content = form };
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
