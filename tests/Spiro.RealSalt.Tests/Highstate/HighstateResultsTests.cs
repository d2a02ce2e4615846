using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Spiro.Protocol.Highstate;
using Spiro.RealSalt.Tests.Support;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Highstate;

/// <summary>
/// Highstate results CI can trust, on real Salt: the compatible endpoint's results in exactly the
/// shape <c>LocalClient.cmd_iter</c> gave, Salt's own retcodes, and expected minions that are down.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class HighstateResultsTests(SaltLabFixture salt)
{
    private const string OkState = "ok_one:\n  test.succeed_without_changes\n";

    [SaltFact]
    public async Task CompatibleEndpoint_Results_AreCmdItersShape_WithTheJidAndRetcodeSaltRecorded()
    {
        var lab = salt.Lab;
        using var project = new TempProject();
        project.Write("spirotop.sls", "dev:\n  'm1':\n    - bad\n  'm2':\n    - broken\n");
        project.Write("bad.sls", "must_fail:\n  test.fail_without_changes\n" + OkState);
        project.Write("broken.sls", "oops: [unclosed\n");
        var token = await lab.IssueTokenAsync("cmdshape");
        try
        {
            var events = await CompatDeployAsync(lab, token, "cmdshape", "dev", Tar(project.Path));

            var updates = events.Where(e => e.Name == "highstate-update").ToDictionary(e => (string)e.Data["minion"]!, e => e.Data["result"]!.AsObject());
            Assert.Equal(["m1", "m2"], updates.Keys.Order(StringComparer.Ordinal));
            foreach (var (minion, result) in updates)
            {
                Assert.Equal(["jid", "out", "ret", "retcode"], result.Select(pair => pair.Key));
                Assert.Equal("highstate", (string?)result["out"]);

                // The job cache holds what Salt itself recorded for the job the result names.
                var job = await lab.SaltRunJsonAsync("jobs.list_job", (string)result["jid"]!);
                Assert.Equal((int?)job!["Result"]![minion]!["retcode"], (int?)result["retcode"]);
            }

            Assert.Equal(2, (int?)updates["m1"]["retcode"]);
            Assert.Equal(1, (int?)updates["m2"]["retcode"]);
            Assert.IsType<JsonArray>(updates["m2"]["ret"]);
            Assert.Equal(MinionOutcome.Failed, MinionSummarizer.Summarize("m1", updates["m1"]).Outcome);
            Assert.Equal(MinionOutcome.RenderError, MinionSummarizer.Summarize("m2", updates["m2"]).Outcome);
        }
        finally
        {
            // A failing state must not stay in a saltenv every plain highstate merges.
            await lab.SpiroAsync("delete", "cmdshape/dev", "--yes");
        }
    }

    [SaltFact]
    public async Task TargetedMinionThatIsDown_IsReportedAsNotReturned_AndFailsTheDeployUnlessTolerated()
    {
        var lab = salt.Lab;
        using var project = new TempProject();
        project.Write("_salt/spirotop.sls", "dev:\n  'm*':\n    - app\n");
        project.Write("_salt/app.sls", OkState);
        using var jinja = new TempProject();
        jinja.Write("_salt/spirotop.sls", "dev:\n  '{{ grains['id'] }}':\n    - app\n");
        jinja.Write("_salt/app.sls", OkState);
        var token = await lab.IssueTokenAsync("downed");
        await lab.StopMinionAsync("m2");
        try
        {
            var strict = await lab.DeployAsync(project.Path, token, "downed", "dev");
            var tolerant = await lab.DeployAsync(project.Path, token, "downed", "dev", "--tolerate-missing");
            var original = await OriginalClient.DeployAsync(project.Path, lab.SpiroUrl, token, "downed", "dev", "--ssl-cert", lab.Certificate.CaFile);
            var rendered = await lab.DeployAsync(jinja.Path, token, "downed", "jinja");

            // Before: "Highstating 1 minion(s): m1" and exit 0, m2 never mentioned.
            Assert.True(strict.ExitCode == 1, strict.ToString());
            Assert.Contains("expected but not answering: m2", strict.Output, StringComparison.Ordinal);
            Assert.Contains("m2: FAILED (did not return)", strict.Output, StringComparison.Ordinal);
            Assert.Contains("Minions that did not report: m2", strict.Output, StringComparison.Ordinal);
            Assert.Contains("m1: OK", strict.Output, StringComparison.Ordinal);
            Assert.True(tolerant.ExitCode == 0, tolerant.ToString());
            Assert.Contains("Minions that did not report (tolerated): m2", tolerant.Output, StringComparison.Ordinal);
            Assert.True(original.ExitCode != 0, original.ToString());
            Assert.Contains("m2\n    (No Results)\n", original.Output, StringComparison.Ordinal);

            // Jinja top data is rendered per minion: every accepted minion that did not answer is named.
            Assert.True(rendered.ExitCode == 0, rendered.ToString());
            Assert.Contains("accepted minions that did not answer (they may use downed/jinja): m2", rendered.Output, StringComparison.Ordinal);
        }
        finally
        {
            await lab.StartMinionAsync("m2");
        }
    }

    private static byte[] Tar(string directory)
    {
        using var buffer = new MemoryStream();
        System.Formats.Tar.TarFile.CreateFromDirectory(directory, buffer, includeBaseDirectory: false);
        return buffer.ToArray();
    }

    /// <summary>POST / as the original client sends it; the SSE events as (name, data).</summary>
    private static async Task<List<(string Name, JsonObject Data)>> CompatDeployAsync(SaltLab lab, string token, string project, string deployment, byte[] bundle)
    {
        using var http = lab.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(3);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(project), "project" },
            { new StringContent(deployment), "deployment" },
            { new StringContent("True"), "highstate" },
            { new ByteArrayContent(bundle), "bundle", "bundle.tar" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, lab.SpiroUrl) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var events = new List<(string, JsonObject)>();
        foreach (var message in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = message.Split('\n');
            var name = lines.FirstOrDefault(line => line.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
            var data = lines.FirstOrDefault(line => line.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (name is not null && data is not null)
            {
                events.Add((name, JsonNode.Parse(data)!.AsObject()));
            }
        }

        return events;
    }
}
