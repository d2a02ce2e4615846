using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;
using Spiro.Protocol.Highstate;
using Spiro.Protocol.Views;

namespace Spiro.Core.Views;

/// <summary>
/// The one mapping from the store's records to their views (Spiro.Protocol.Views): the CLI's
/// <c>--json</c>, the v1 API and the Salt runner all read what these return.
/// </summary>
public static class ResourceViews
{
    /// <summary>A release with the highstate runs kept for it (oldest first).</summary>
    public static ReleaseView Release(ReleaseInfo release, IReadOnlyList<HighstateRun> highstate)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(highstate);
        return new ReleaseView(
            release.Id,
            release.SaltEnv.ToString(),
            WireTime.Format(release.Created),
            release.Size,
            release.FileCount,
            release.SourceCommit,
            release.PublishedBy,
            release.How,
            release.Live,
            [.. highstate.Select(Run)]);
    }

    /// <summary>A release with the runs <paramref name="results"/> keeps for it.</summary>
    public static ReleaseView Release(ReleaseInfo release, HighstateResultStore results)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(results);
        return Release(release, results.Query(release.Id, release.SaltEnv));
    }

    /// <summary>One stored highstate run.</summary>
    public static HighstateRunView Run(HighstateRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var minions = new Dictionary<string, MinionReport>(StringComparer.Ordinal);
        foreach (var minion in run.Minions)
        {
            minions[minion.Minion] = MinionReport.From(minion);
        }

        return new HighstateRunView(run.RunId, run.Test, WireTime.Format(run.FinishedAt), minions);
    }

    /// <summary>A saltenv with its live release.</summary>
    public static SaltEnvView SaltEnv(DeploymentInfo deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return new SaltEnvView(
            deployment.SaltEnv.ToString(),
            deployment.SaltEnv.Project,
            deployment.SaltEnv.Deployment,
            deployment.LiveRelease,
            WireTime.Format(deployment.PublishedAt),
            deployment.PublishedBy);
    }

    /// <summary>The projects of <paramref name="deployments"/>, each with its deployments, in their order.</summary>
    public static ProjectView[] Projects(IEnumerable<DeploymentInfo> deployments) =>
        [.. deployments
            .GroupBy(d => d.SaltEnv.Project, StringComparer.Ordinal)
            .Select(g => new ProjectView(g.Key, [.. g.Select(d => d.SaltEnv.Deployment)]))];

    /// <summary>One deploy.</summary>
    public static DeployView Deploy(DeployRecord deploy)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        return new DeployView(
            deploy.Id,
            deploy.SaltEnv,
            deploy.Actor,
            deploy.Status,
            deploy.Release,
            deploy.Highstate,
            deploy.Test,
            WireTime.Format(deploy.Created),
            WireTime.Format(deploy.Finished));
    }

    /// <summary>A token (never its secret, which is not stored) with its status at <paramref name="now"/>.</summary>
    public static TokenView Token(TokenRecord token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenView(
            token.Id,
            token.Label,
            token.Scope.Projects,
            token.Scope.Deployments,
            token.Scope.Admin,
            token.Scope.AllProjects,
            WireTime.Format(token.Created),
            WireTime.Format(token.NotBefore),
            WireTime.Format(token.Expires),
            WireTime.Format(token.Revoked),
            WireTime.Format(token.LastUsed),
            TokenStatus(token, now));
    }

    /// <summary><c>valid</c>, <c>revoked</c>, <c>not-yet-valid</c> or <c>expired</c>.</summary>
    public static string TokenStatus(TokenRecord token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return TokenAuthorizer.Decide(token, now, TokenRequirement.AnyValid) switch
        {
            AuthDecision.Allowed => "valid",
            _ when token.Revoked is not null => "revoked",
            _ when token.NotBefore > now => "not-yet-valid",
            _ => "expired",
        };
    }

    /// <summary>One history row.</summary>
    public static HistoryView History(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new HistoryView(WireTime.Format(entry.At), entry.SaltEnv, entry.Action, entry.ReleaseId, entry.Actor, entry.Detail);
    }

    /// <summary>The newest <paramref name="limit"/> history rows, newest first (the store keeps them oldest first).</summary>
    public static HistoryView[] History(IEnumerable<HistoryEntry> oldestFirst, int? limit) =>
        [.. oldestFirst.Reverse().Take(limit ?? int.MaxValue).Select(History)];

    /// <summary>A rollback done.</summary>
    public static RollbackView Rollback(RollbackResult.RolledBack done, HighstateResultStore results)
    {
        ArgumentNullException.ThrowIfNull(done);
        return new RollbackView(done.Release.SaltEnv.ToString(), Release(done.Release, results), done.Previous, done.Previous != done.Release.Id, done.Warnings);
    }

    /// <summary>A promotion of <paramref name="source"/>'s release done.</summary>
    public static PromoteView Promote(PromoteResult.Promoted done, Names.SaltEnvName source, HighstateResultStore results)
    {
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(source);
        return new PromoteView(done.Release.SaltEnv.ToString(), Release(done.Release, results), source.ToString(), done.SourceId, done.Warnings);
    }

    /// <summary>A delete done.</summary>
    public static DeleteView Delete(DeleteResult.Deleted done)
    {
        ArgumentNullException.ThrowIfNull(done);
        return new DeleteView(done.SaltEnv.ToString(), done.WasLive, done.RemovedReleases, done.Warnings);
    }
}
