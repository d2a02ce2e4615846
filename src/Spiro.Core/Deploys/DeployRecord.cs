using Spiro.Protocol.Events;

namespace Spiro.Core.Deploys;

/// <summary>One deploy as the server ran it.</summary>
/// <param name="Id">Deploy id (16 lower-case hex).</param>
/// <param name="SaltEnv">Target saltenv string.</param>
/// <param name="Actor">Token id and label.</param>
/// <param name="Status">One of <see cref="DeployStatus"/>.</param>
/// <param name="Release">The release it published, once published.</param>
/// <param name="Highstate">Whether a highstate was requested.</param>
/// <param name="Test">Whether the highstate is a dry run.</param>
/// <param name="Created">Start.</param>
/// <param name="Finished">End, when finished.</param>
/// <param name="TolerateMissing">Whether expected minions that do not return are tolerated (not a failure).</param>
public sealed record DeployRecord(
    string Id,
    string SaltEnv,
    string Actor,
    string Status,
    string? Release,
    bool Highstate,
    bool Test,
    DateTimeOffset Created,
    DateTimeOffset? Finished,
    bool TolerateMissing = false)
{
    /// <summary>Status of a deploy that has not finished.</summary>
    public const string Running = DeployStatus.Running;

    /// <summary>Whether the deploy has finished (its event stream is complete).</summary>
    public bool IsFinished => Status != Running;
}
