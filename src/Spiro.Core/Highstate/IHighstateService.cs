namespace Spiro.Core.Highstate;

/// <summary>
/// Highstates the minions that use a saltenv and reports progress as deploy events
/// (<c>highstate-calc</c>, <c>highstate-start</c>, <c>highstate-update</c>, <c>highstate-finish</c>).
/// The only way the server talks to Salt.
/// </summary>
public interface IHighstateService
{
    /// <summary>Runs the highstate; yields events as they happen. Never throws for Salt failures: they become events.</summary>
    IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, CancellationToken cancellationToken);

    /// <summary>The render gate over the same Salt, or null when there is no Salt to render on.</summary>
    TopFiles.ITopRenderGate? RenderGate => null;
}
