namespace Spiro.Testing.Salt;

/// <summary>How to start a <see cref="SaltLab"/>; every property has a default that suits a test.</summary>
public sealed class SaltLabOptions
{
    /// <summary>The lab's directory; default a new temp directory (removed when the lab is disposed).</summary>
    public string? Root { get; init; }

    /// <summary>
    /// For <c>./build.sh saltlab up</c>: the daemons outlive this process (no exit hook, no watchdog) and
    /// <see cref="SaltLab.DisposeAsync"/> leaves them running; <c>down</c> stops them from the state file.
    /// </summary>
    public bool Detached { get; init; }

    /// <summary>The <c>spiro</c> executable to install the adapter from and to run; default <see cref="RepoPaths.SpiroCli"/>.</summary>
    public string? SpiroCli { get; init; }

    /// <summary>
    /// A second master (<c>master-b</c>, on <see cref="SaltLabLayout.SecondMasterAddress"/>, same ports)
    /// with its own adapter, data directory and engine-started server; both minions list both
    /// masters. Not for <see cref="Detached"/> labs (the state file records one master).
    /// </summary>
    public bool SecondMaster { get; init; }

    /// <summary>How long start-up (and each restart) may take before it fails with the daemons' logs.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Default deadline of one salt command (the command is killed after it).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
