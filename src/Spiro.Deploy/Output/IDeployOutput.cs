using Spiro.Deploy.Results;
using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Output;

/// <summary>How a deploy is shown: to people (<see cref="HumanOutput"/>) or machines (<see cref="JsonOutput"/>).</summary>
internal interface IDeployOutput
{
    /// <summary>A step of the client itself (collecting, uploading).</summary>
    void Info(string message);

    void Warning(string message);

    void Error(string message);

    /// <summary>Runs the upload while showing its progress; the callback receives bytes sent so far.</summary>
    Task<T> TrackUploadAsync<T>(Func<Action<long>, Task<T>> upload);

    /// <summary>One event; <paramref name="summary"/> is set for highstate updates, <paramref name="duplicate"/> when the minion already reported.</summary>
    void Event(ReceivedEvent received, MinionSummary? summary, bool duplicate);

    /// <summary>The end: who failed, who never reported, the exit code.</summary>
    void Finish(DeployTally tally, int exitCode);
}
