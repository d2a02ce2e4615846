namespace Spiro.Core.Releases.Retention;

/// <summary>What retention needs to know about a release.</summary>
/// <param name="Id">Release id.</param>
/// <param name="Order">Creation order within the store (higher is newer).</param>
internal sealed record RetainedRelease(string Id, long Order);
