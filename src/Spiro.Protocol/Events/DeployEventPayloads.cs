using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Events;

/// <summary>Data of events that say only <c>msg</c>: <c>highstate-calc</c>, <c>deploy-progress</c>, <c>exception</c>.</summary>
/// <param name="Msg">The message.</param>
public sealed record MessageEvent([property: JsonPropertyName("msg")] string Msg);

/// <summary>Data of <c>deploy-start</c> (v1 only).</summary>
/// <param name="Msg">The message.</param>
/// <param name="DeployId">The deploy's id.</param>
/// <param name="SaltEnv">Target saltenv.</param>
public sealed record DeployStartEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("deploy_id")] string DeployId,
    [property: JsonPropertyName("saltenv")] string SaltEnv);

/// <summary>Data of <c>deploy-bundle</c>: the release is live.</summary>
/// <param name="Msg">The message.</param>
/// <param name="Release">The release id.</param>
/// <param name="SaltEnv">The saltenv.</param>
public sealed record DeployBundleEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("release")] string Release,
    [property: JsonPropertyName("saltenv")] string SaltEnv);

/// <summary>Data of <c>highstate-start</c>.</summary>
/// <param name="Msg">The message.</param>
/// <param name="Minions">Minions being highstated.</param>
/// <param name="Errors">Minions whose top data was an error instead: minion to text.</param>
/// <param name="Missing">Expected minions that did not answer <c>state.show_top</c>: not highstated, reported as not returned.</param>
public sealed record HighstateStartEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("minions")] IReadOnlyList<string> Minions,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string> Errors,
    [property: JsonPropertyName("missing")] IReadOnlyList<string>? Missing = null);

/// <summary>Data of <c>highstate-update</c>: one minion's return.</summary>
/// <param name="Msg">One line for a person.</param>
/// <param name="Minion">Minion id.</param>
/// <param name="Result">Exactly <c>LocalClient.cmd_iter</c>'s value (<see cref="CmdIterResult"/>).</param>
public sealed record HighstateUpdateEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("minion")] string Minion,
    [property: JsonPropertyName("result")] JsonNode? Result);

/// <summary>Data of <c>highstate-finish</c>.</summary>
/// <param name="Msg">The message.</param>
/// <param name="Minions">Every minion's summary, keyed by id.</param>
/// <param name="Missing">Expected minions that did not return.</param>
/// <param name="Errors">Minions whose top data was an error.</param>
/// <param name="Test">Whether it ran with test=True.</param>
/// <param name="TolerateMissing">Whether the deploy tolerates minions that did not return.</param>
/// <param name="Passed">The <see cref="HighstateVerdict"/>: whether CI may call it good.</param>
/// <param name="Stored">Whether the results were stored with the release.</param>
/// <param name="SaltMessages">Non-JSON lines salt printed.</param>
/// <param name="SaltExitCode">salt's exit code, when it ran.</param>
/// <param name="SaltStderr">salt's stderr, when it ran.</param>
/// <param name="Unanswered">Accepted minions that did not answer when the targets could not be known (Jinja top): they may use the saltenv.</param>
public sealed record HighstateFinishEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("minions")] IReadOnlyDictionary<string, MinionReport> Minions,
    [property: JsonPropertyName("missing")] IReadOnlyList<string> Missing,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string> Errors,
    [property: JsonPropertyName("test")] bool Test = false,
    [property: JsonPropertyName("tolerate_missing")] bool TolerateMissing = false,
    [property: JsonPropertyName("passed")] bool? Passed = null,
    [property: JsonPropertyName("stored")] bool Stored = false,
    [property: JsonPropertyName("salt_messages")] IReadOnlyList<string>? SaltMessages = null,
    [property: JsonPropertyName("salt_exit_code")] int? SaltExitCode = null,
    [property: JsonPropertyName("salt_stderr")] string? SaltStderr = null,
    [property: JsonPropertyName("unanswered")] IReadOnlyList<string>? Unanswered = null);

/// <summary>Data of <c>deploy-finish</c> (v1 only): the last event.</summary>
/// <param name="Msg">The message.</param>
/// <param name="Status">One of <see cref="DeployStatus"/>.</param>
/// <param name="Release">The release published, if any.</param>
public sealed record DeployFinishEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("release"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Release);
