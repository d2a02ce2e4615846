using System.Text.Json.Nodes;

namespace Spiro.Testing.Salt;

/// <summary>Running Salt and SpiroFS commands against the lab.</summary>
public sealed partial class SaltLab
{
    /// <summary>Runs a Salt tool from the lab's bin/ (<c>salt</c>, <c>salt-run</c>, <c>salt-key</c>, <c>salt-cp</c> get <c>-c</c> of the master; <c>salt-call</c>: use <see cref="SaltCallAsync"/>).</summary>
    public Task<CommandResult> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunOnAsync(Master, tool, arguments, timeout, cancellationToken);

    /// <summary>Like <see cref="RunAsync"/>, against <paramref name="master"/> (<c>"master"</c> or <see cref="SecondMaster"/>).</summary>
    public Task<CommandResult> RunOnAsync(string master, string tool, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var configDir = master switch
        {
            Master => Layout.MasterConfigDir,
            SecondMaster when Layout.HasSecondMaster => Layout.SecondMasterConfigDir,
            _ => throw new ArgumentException($"the lab has no master '{master}'", nameof(master)),
        };
        var prefix = tool == "salt-call" ? [] : new[] { "-c", configDir };
        return ProcessRunner.RunAsync(
            Path.Combine(Layout.BinDir, tool), prefix.Concat(arguments), timeout ?? _options.CommandTimeout,
            new Dictionary<string, string> { ["PATH"] = $"{Layout.BinDir}:{Environment.GetEnvironmentVariable("PATH")}" },
            cancellationToken: cancellationToken);
    }

    /// <summary><c>salt ARGS</c> with the default deadline.</summary>
    public Task<CommandResult> SaltAsync(params string[] arguments) => RunAsync("salt", arguments);

    /// <summary><c>salt ARGS</c> killed after <paramref name="timeout"/>.</summary>
    public Task<CommandResult> SaltAsync(TimeSpan timeout, params string[] arguments) => RunAsync("salt", arguments, timeout);

    /// <summary><c>salt-run ARGS</c> (runners, e.g. <c>spiro.issue_token</c>, <c>fileserver.envs</c>).</summary>
    public Task<CommandResult> SaltRunAsync(params string[] arguments) => RunAsync("salt-run", arguments);

    /// <summary><c>salt-call ARGS</c> on one minion (its config, talking to the lab's master).</summary>
    public Task<CommandResult> SaltCallAsync(string minion, params string[] arguments) =>
        RunAsync("salt-call", new[] { "-c", Layout.MinionConfigDir(CheckMinion(minion)) }.Concat(arguments));

    /// <summary>
    /// <c>salt TARGET FUNCTION ARGS --out=json --static</c>, parsed: one object keyed by minion id.
    /// Fails (with the whole output) if the command's output is not JSON.
    /// </summary>
    public Task<JsonObject> SaltJsonAsync(string target, string function, params string[] arguments) =>
        SaltJsonOnAsync(Master, target, function, arguments);

    /// <summary>Like <see cref="SaltJsonAsync"/>, published by <paramref name="master"/>.</summary>
    public async Task<JsonObject> SaltJsonOnAsync(string master, string target, string function, params string[] arguments)
    {
        var result = await RunOnAsync(master, "salt", [target, function, .. arguments, "--out=json", "--static"]);
        return ParseObject(result);
    }

    /// <summary><c>salt-run FUNCTION ARGS --out=json</c>, parsed (a runner may return any JSON value).</summary>
    public async Task<JsonNode?> SaltRunJsonAsync(string function, params string[] arguments)
    {
        var result = await SaltRunAsync([function, .. arguments, "--out=json"]);
        try
        {
            return JsonNode.Parse(result.Output);
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new InvalidOperationException($"salt-run {function} did not print JSON ({exception.Message}):\n{result}", exception);
        }
    }

    /// <summary>The lab's <c>spiro</c> with <c>--data</c> of the lab's store appended (every store verb takes it).</summary>
    public Task<CommandResult> SpiroAsync(params string[] arguments) => SpiroOnAsync(Layout.SpiroData, arguments);

    /// <summary>The lab's <c>spiro</c> with <c>--data <paramref name="data"/></c> (e.g. <see cref="SaltLabLayout.SecondSpiroData"/>).</summary>
    public Task<CommandResult> SpiroOnAsync(string data, params string[] arguments) =>
        ProcessRunner.RunAsync(SpiroCli, [.. arguments, "--data", data], _options.CommandTimeout);

    /// <summary>
    /// Deletes every saltenv of the lab's store, for a test whose plain highstate of every minion
    /// must see only the saltenvs it published (other tests in the collection leave theirs live).
    /// </summary>
    public async Task DeleteEverySaltenvAsync()
    {
        var listing = await SpiroAsync("deployments", "--json");
        if (listing.ExitCode != 0 || JsonNode.Parse(listing.Output) is not JsonArray saltenvs)
        {
            throw new InvalidOperationException($"spiro deployments --json failed:\n{listing}");
        }

        foreach (var saltenv in saltenvs.Select(entry => entry?["saltenv"]?.GetValue<string>()).OfType<string>())
        {
            var delete = await SpiroAsync("delete", saltenv, "--yes");
            if (delete.ExitCode != 0)
            {
                throw new InvalidOperationException($"spiro delete {saltenv} failed:\n{delete}");
            }
        }
    }

    /// <summary>Issues a deploy token for <paramref name="project"/> (optionally limited to <paramref name="deployments"/>) and returns the secret.</summary>
    public Task<string> IssueTokenAsync(string project, string? deployments = null) => IssueTokenAsync(Layout.SpiroData, project, deployments);

    /// <summary>Issues a deploy token in the store at <paramref name="data"/> and returns the secret.</summary>
    public async Task<string> IssueTokenAsync(string data, string project, string? deployments)
    {
        var arguments = new List<string> { "token", "issue", project, "--label", "saltlab" };
        if (deployments is not null)
        {
            arguments.AddRange(["--deployments", deployments]);
        }

        var result = await SpiroOnAsync(data, [.. arguments]);
        return result.ExitCode == 0 && result.Output.Trim() is { Length: > 0 } token && !token.Contains('\n', StringComparison.Ordinal)
            ? token
            : throw new InvalidOperationException($"spiro token issue {project} failed:\n{result}");
    }

    /// <summary>
    /// Runs <c>spiro-deploy PROJECT DEPLOYMENT</c> from <paramref name="projectDir"/> against the lab's
    /// engine-started server over HTTPS (trusting the lab's CA), with <paramref name="extra"/> options.
    /// </summary>
    public Task<CommandResult> DeployAsync(string projectDir, string token, string project, string deployment, params string[] extra) =>
        DeployThroughAsync(SpiroUrl, projectDir, token, project, deployment, extra);

    /// <summary>Like <see cref="DeployAsync"/>, to the deploy server at <paramref name="server"/> (e.g. <see cref="SecondSpiroUrl"/>).</summary>
    public Task<CommandResult> DeployThroughAsync(Uri server, string projectDir, string token, string project, string deployment, params string[] extra) =>
        ProcessRunner.RunAsync(
            RepoPaths.SpiroDeploy,
            ["--server", server.ToString(), "--ssl-cert", Certificate.CaFile, "--no-color", .. extra, project, deployment],
            _options.CommandTimeout,
            new Dictionary<string, string> { ["SPIRO_TOKEN"] = token },
            workingDirectory: projectDir);

    private static JsonObject ParseObject(CommandResult result)
    {
        try
        {
            return JsonNode.Parse(result.Output) as JsonObject ?? throw new InvalidOperationException($"salt printed JSON that is not an object:\n{result}");
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new InvalidOperationException($"salt did not print JSON ({exception.Message}):\n{result}", exception);
        }
    }
}
