using System.Net;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Output;
using Spiro.Deploy.Results;
using Spiro.Deploy.Transport;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Deltas;
using Spiro.Protocol.Events;

namespace Spiro.Deploy.Deploying;

/// <summary>One deploy: bundle, probe, upload while building, follow the events, decide the exit code.</summary>
internal sealed class DeployRunner(DeployOptions options, ConsoleEnvironment console)
{
    private readonly IDeployOutput output = options.Json
        ? new JsonOutput(console)
        : new HumanOutput(console, colour: !options.NoColor, options.Verbose);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        int exitCode;
        try
        {
            return await DeployAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            output.Error($"gave up after --timeout {options.Timeout}");
            exitCode = ExitCodes.Network;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error("cancelled");
            exitCode = ExitCodes.Network;
        }
        catch (Exception e) when (Find<BundleBuildException>(e) is { } build)
        {
            output.Error(build.Message);
            exitCode = ExitCodes.Usage;
        }
        catch (Exception e) when (Find<System.Security.Authentication.AuthenticationException>(e) is { } tls)
        {
            output.Error($"TLS with {options.Server} failed: {Innermost(tls)} (trust the server's CA with --ssl-cert FILE)");
            exitCode = ExitCodes.Network;
        }
        catch (Exception e) when (EventPump.IsNetwork(e))
        {
            output.Error($"cannot talk to {options.Server}: {Innermost(e)}");
            exitCode = ExitCodes.Network;
        }

        output.Finish(new DeployTally(), exitCode);
        return exitCode;
    }

    private async Task<int> DeployAsync(CancellationToken cancellationToken)
    {
        if (options.ApplyPlanId is not null)
        {
            return await ApplyAsync(options.ApplyPlanId, cancellationToken);
        }

        output.Info($"Collecting files for {options.Project} ({options.Deployment})");
        var spec = await BuildSpecAsync(cancellationToken);
        using var http = HttpClientFactory.Create(options.Insecure, options.SslCertificate);
        var transport = new DeployTransport(http, options.Server, options.Token);
        var info = await transport.ProbeAsync(cancellationToken);
        if (options.Test && !info.Features.Contains("test-highstate"))
        {
            output.Error("--test needs a server whose v1 API offers test-highstate; this one does not");
            return ExitCodes.Usage;
        }

        if (options.Plan && !info.Features.Contains("plan"))
        {
            output.Error("--plan needs a server whose v1 API offers plans; this one does not");
            return ExitCodes.Usage;
        }

        var (encoding, compressionError) = CompressionNegotiation.Resolve(options.Compress, info);
        if (encoding is not { } bodyEncoding)
        {
            output.Error(compressionError!);
            return ExitCodes.Usage;
        }

        using (var check = await transport.CheckTokenAsync(cancellationToken))
        {
            if (check.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return await RefusedAsync(check, cancellationToken);
            }
        }

        output.Info(info.Delta ? $"Uploading to {options.Server} (v1 API, negotiated: only what the server lacks)"
            : info.HasV1
            ? $"Uploading to {options.Server} (v1 API{(bodyEncoding == BundleEncoding.Tar ? string.Empty : ", " + bodyEncoding.ToString().ToLowerInvariant())})"
            : $"Uploading to {options.Server} (compatible endpoint)");
        var response = (info.Delta ? await UploadNegotiatedAsync(transport, spec, cancellationToken) : null)
            ?? await output.TrackUploadAsync(onSent => info.HasV1
                ? transport.UploadV1Async(spec, options.Project, options.Deployment, options.Highstate, PlanTest || options.Test, options.TolerateMissing, bodyEncoding, onSent, cancellationToken, options.Plan)
                : transport.UploadCompatibleAsync(spec, options.Project, options.Deployment, options.Highstate, onSent, cancellationToken));
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                return await RefusedAsync(response, cancellationToken);
            }
        }

        return await FollowAsync(transport, response, info.HasV1, cancellationToken);
    }

    /// <summary>A plan's test run is on unless <c>--no-highstate</c> (then only its diff and minions).</summary>
    private bool PlanTest => options.Plan && options.Highstate;

    /// <summary><c>--apply PLAN_ID</c>: no bundle; the server makes the candidate live and highstates it.</summary>
    private async Task<int> ApplyAsync(string planId, CancellationToken cancellationToken)
    {
        using var http = HttpClientFactory.Create(options.Insecure, options.SslCertificate);
        var transport = new DeployTransport(http, options.Server, options.Token);
        var info = await transport.ProbeAsync(cancellationToken);
        if (!info.Features.Contains("plan"))
        {
            output.Error("--apply needs a server whose v1 API offers plans; this one does not");
            return ExitCodes.Usage;
        }

        output.Info($"Applying plan {planId} to {options.Project}/{options.Deployment} on {options.Server}{(options.Force ? " (forced)" : string.Empty)}");
        var response = await transport.ApplyAsync(options.Project, options.Deployment, planId, options.Force, options.Highstate, options.Test, options.TolerateMissing, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                output.Error(StatusMapping.DescribeApply(response.StatusCode, body));
                var exitCode = StatusMapping.ExitCodeForApply(response.StatusCode);
                output.Finish(new DeployTally(), exitCode);
                return exitCode;
            }
        }

        return await FollowAsync(transport, response, hasV1: true, cancellationToken);
    }

    private async Task<int> FollowAsync(DeployTransport transport, HttpResponseMessage response, bool hasV1, CancellationToken cancellationToken)
    {
        var deployId = hasV1 && response.Headers.TryGetValues(DeployTransport.DeployIdHeader, out var ids) ? ids.FirstOrDefault() : null;
        var tally = new DeployTally(options.TolerateMissing);
        var pump = new EventPump(transport, new EventHandler(output, tally), output, console.Time);
        var complete = await pump.RunAsync(response, deployId, cancellationToken);
        var exitCode = ExitCodeFor(tally, complete);
        output.Finish(tally, exitCode);
        return exitCode;
    }

    /// <summary>
    /// The negotiated upload: hash the bundle, ask which contents the server lacks, send only those.
    /// Null when it cannot be used this time (the caller uploads the whole bundle instead).
    /// </summary>
    private async Task<HttpResponseMessage?> UploadNegotiatedAsync(DeployTransport transport, BundleSpec spec, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeltaEntry> entries;
        var cache = options.HashCache && OperatingSystem.IsLinux() ? FileHashCache.Open(options.ProjectDirectory, TimeProvider.System) : null;
        try
        {
            entries = await DeltaBundle.PlanAsync(spec, cache, cancellationToken);
        }
        catch (NotSupportedException e)
        {
            output.Warning($"{e.Message}; uploading the whole bundle");
            return null;
        }

        if (cache is not null)
        {
            SaveHashCache(cache, entries.Count(e => e.Type == DeltaEntryTypes.File));
        }

        var (answer, refusal, planBytes) = await transport.PlanAsync(options.Project, options.Deployment, entries, cancellationToken);
        if (answer is null)
        {
            // A refused token or name is refused again, with its proper message, by the full upload.
            using (refusal)
            {
                output.Warning($"the server did not take the upload plan ({(int)refusal!.StatusCode}); uploading the whole bundle");
            }

            return null;
        }

        var files = entries.Count(e => e.Type == DeltaEntryTypes.File);
        if (answer.KnownBytes == 0)
        {
            // Nothing to skip: the whole bundle goes as usual, compressed as --compress says (the missing-files tar is plain).
            output.Info($"Negotiated upload: the server has 0 B of this bundle; uploading all of it");
            return null;
        }

        output.Info($"Negotiated upload: the server has {Units.Bytes(answer.KnownBytes)} of this bundle; sending {answer.Missing.Count} of {files} files ({Units.Bytes(answer.MissingBytes)}) after a {Units.Bytes(planBytes)} plan, skipping {Units.Bytes(answer.KnownBytes)}");
        var response = await output.TrackUploadAsync(onSent => transport.UploadMissingAsync(
            spec, entries, answer, options.Project, options.Deployment, options.Highstate, PlanTest || options.Test, options.TolerateMissing, onSent, cancellationToken, options.Plan));
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            response.Dispose();
            output.Warning("the server no longer had the upload plan; uploading the whole bundle");
            return null;
        }

        return response;
    }

    /// <summary>The cache only saves time: a project directory it cannot be written to costs a warning, not the deploy.</summary>
    private void SaveHashCache(FileHashCache cache, int files)
    {
        try
        {
            cache.Save();
            output.Info($"Hashed {files - cache.Hits} of {files} files ({cache.Hits} unchanged since the last run, from {BundleBuilder.ClientStateDirectory}/{FileHashCache.FileName})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Warning($"cannot write the hash cache {cache.Path}: {e.Message} (the next deploy hashes every file again)");
        }
    }

    /// <summary>Server failure beats minion failure: a deploy that threw may not have highstated at all.</summary>
    private static int ExitCodeFor(DeployTally tally, bool complete) =>
        tally.FinishStatus is DeployStatus.Rejected or DeployStatus.TooLarge ? ExitCodes.BundleRejected
        : tally.ServerError is not null || tally.FinishStatus is DeployStatus.Failed or DeployStatus.Locked or DeployStatus.Abandoned ? ExitCodes.ServerError
        : !complete ? ExitCodes.Network
        : !tally.Verdict.Passed ? ExitCodes.MinionFailed
        : ExitCodes.Ok;

    private async Task<BundleSpec> BuildSpecAsync(CancellationToken cancellationToken)
    {
        var gitCommit = await GitCommitText.ReadAsync(options.ProjectDirectory, cancellationToken);
        if (gitCommit.Content is null)
        {
            output.Warning($"no .gitcommit in the bundle: {gitCommit.Reason}");
        }

        return new BundleSpec(options.ProjectDirectory, options.SaltDirectory, options.Artifacts, options.IncludeSource, gitCommit.Content);
    }

    private async Task<int> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        output.Error(StatusMapping.Describe(response.StatusCode, body));
        var exitCode = StatusMapping.ExitCodeFor(response.StatusCode);
        output.Finish(new DeployTally(), exitCode);
        return exitCode;
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Innermost(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner.Message;
        }

        return message;
    }
}
