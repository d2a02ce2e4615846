namespace Spiro.Core.Releases;

/// <summary>Who publishes and where progress messages go (e.g. "waiting for lock held by pid 42").</summary>
/// <param name="Actor">Token label or <c>cli:user</c>; recorded in history and audit.</param>
/// <param name="Progress">Receives human-readable progress lines; may be null.</param>
public sealed record PublishContext(string Actor, IProgress<string>? Progress = null)
{
    /// <summary>How history records a bundle publish: <c>deploy</c> (server, the default) or <c>publish</c> (admin CLI).</summary>
    public string How { get; init; } = "deploy";

    /// <summary>Renders a Jinja top file on the minions before its release goes live; null: not checked (no Salt).</summary>
    public TopFiles.ITopRenderGate? RenderGate { get; init; }

    /// <summary>Store the release as a plan's candidate: in place and checked, but not live (docs/api.md "Plans").</summary>
    public bool Candidate { get; init; }

    /// <summary>
    /// Awaited once the bundle is read and checked, just before its release is materialised; the
    /// result is disposed when the publish ends. The server takes its publish slot here, so an
    /// upload still being received holds none. Null: no wait.
    /// </summary>
    public Func<CancellationToken, Task<IDisposable>>? BeforeMaterialise { get; init; }
}
