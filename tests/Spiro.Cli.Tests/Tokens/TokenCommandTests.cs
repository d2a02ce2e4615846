using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Spiro.Core.Highstate;

namespace Spiro.Cli.Tests.Tokens;

public sealed class TokenCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("spiro-cli-tokens-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public void Issue_PrintsOnlyTheTokenOnce_AndCheckAcceptsItForItsScope()
    {
        var (code, output, _) = Run("token", "issue", "foo,bar", "--deployments", "dev", "--lifespan", "90d", "--label", "ci", "--data", _data);
        var token = output.Trim();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"\Aspiro_[A-Za-z0-9_-]{43}\z", token);
        Assert.Equal(ExitCodes.Ok, Run("token", "check", token, "foo/dev", "--data", _data).Code);
        Assert.Equal(ExitCodes.Ok, Run("token", "check", token, "--saltenv", "bar/dev", "--data", _data).Code);
        var refused = Run("token", "check", token, "foo/prod", "--data", _data);
        Assert.Equal(ExitCodes.Rejected, refused.Code);
        Assert.Contains("403", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, Run("token", "list", "--data", _data).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueJson_ListJson_Inspect_Revoke_HaveTheDocumentedShapes()
    {
        var issued = JsonNode.Parse(Run("token", "issue", "foo", "--admin", "--json", "--data", _data).Output)!;
        var token = issued["token"]!.GetValue<string>();
        var id = issued["id"]!.GetValue<string>();

        Assert.Equal(["foo"], issued["projects"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(issued["admin"]!.GetValue<bool>());
        Assert.Equal("valid", issued["status"]!.GetValue<string>());
        var listed = JsonNode.Parse(Run("token", "list", "--json", "--data", _data).Output)!.AsArray();
        Assert.Equal(id, listed.Single()!["id"]!.GetValue<string>());
        Assert.Null(listed.Single()!["token"]);
        var inspected = JsonNode.Parse(Run("token", "inspect", token, "--json", "--data", _data).Output)!;
        Assert.Equal(id, inspected["id"]!.GetValue<string>());

        var revoked = JsonNode.Parse(Run("token", "revoke", id, "--json", "--data", _data).Output)!;

        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        var check = JsonNode.Parse(Run("token", "check", token, "--json", "--data", _data).Output)!;
        Assert.False(check["valid"]!.GetValue<bool>());
        Assert.Equal(401, check["status"]!.GetValue<int>());
    }

    [Fact]
    public void IssueRoot_CoversEveryProject()
    {
        var token = Run("token", "issue-root", "--data", _data).Output.Trim();

        Assert.Equal(ExitCodes.Ok, Run("token", "check", token, "anything/prod", "--data", _data).Code);
        Assert.Contains("\"root\": true", Run("token", "inspect", token, "--json", "--data", _data).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "issue", "../x")]
    [InlineData("token", "issue", "foo", "--lifespan", "forever")]
    [InlineData("token", "issue", "foo", "--not-before", "tomorrowish")]
    public void Issue_WithBadInput_IsUsageError(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, Run([.. args, "--data", _data]).Code);

    [Fact]
    public async Task Revoke_WhileServerRuns_RefusesTheVeryNextRequest()
    {
        var token = Run("token", "issue", "foo", "--data", _data).Output.Trim();
        await using var server = await TestServer.StartAsync(new NoSaltHighstateService(), data: _data);

        Assert.Equal(HttpStatusCode.OK, await GetRootAsync(server.Client, token));
        Assert.Equal(ExitCodes.Ok, Run("token", "revoke", token, "--data", _data).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetRootAsync(server.Client, token));
    }

    [Theory]
    [InlineData("check")]
    [InlineData("inspect")]
    [InlineData("revoke")]
    public async Task TokenVerb_WithDash_ReadsTheSecretFromStdinNotArgv(string verb)
    {
        var issued = JsonNode.Parse(Run("token", "issue", "foo", "--json", "--data", _data).Output)!;
        var token = issued["token"]!.GetValue<string>();

        var (code, output, _) = await RunChildAsync(token + "\n", "token", verb, "-", "--json", "--data", _data);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(issued["id"]!.GetValue<string>(), JsonNode.Parse(output)!["id"]!.GetValue<string>());
        var status = JsonNode.Parse(Run("token", "inspect", issued["id"]!.GetValue<string>(), "--json", "--data", _data).Output)!["status"]!.GetValue<string>();
        Assert.Equal(verb == "revoke" ? "revoked" : "valid", status);
    }

    [Fact]
    public async Task TokenCheck_WithDashAndNothingOnStdin_IsUsageError()
    {
        Run("token", "issue", "foo", "--data", _data);

        var (code, _, error) = await RunChildAsync("", "token", "check", "-", "--data", _data);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("stdin", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunChildAsync(string stdin, params string[] args)
    {
        var info = new ProcessStartInfo(Releases.CliHarness.CliPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<HttpStatusCode> GetRootAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in Verbs.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
