namespace Spiro.Core.Highstate;

/// <summary>A state that returned <c>result: false</c>.</summary>
/// <param name="Id">The state id (<c>__id__</c>, else the id part of the state key).</param>
/// <param name="Name">The state's <c>name</c>.</param>
/// <param name="Sls">The SLS it came from (<c>__sls__</c>), empty when Salt gave none.</param>
/// <param name="Comment">Salt's comment: why it failed.</param>
public sealed record FailingState(string Id, string Name, string Sls, string Comment);
