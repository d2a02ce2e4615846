using System.Text.RegularExpressions;
using Spiro.Core.Highstate;

namespace Spiro.Salt;

/// <summary>How SpiroFS runs the <c>salt</c> command (the <c>spiro serve</c> flags of the same names).</summary>
public sealed partial record SaltOptions
{
    /// <summary>The default salt command, looked up on PATH.</summary>
    public const string DefaultCommand = "salt";

    /// <summary>
    /// <c>--salt-command</c>: the salt executable, a name on PATH or a path. Default <c>salt</c>.
    /// Empty or <c>none</c> means the server has no Salt: highstates say so and run nothing.
    /// </summary>
    public string? Command { get; init; } = DefaultCommand;

    /// <summary><c>--salt-config-dir</c>: passed as <c>-c DIR</c> (the master's config dir). Default: none, salt's own default.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>
    /// <c>--highstate-timeout</c>: passed to salt as <c>-t SECONDS</c>; salt is also killed if a run
    /// lasts longer than this plus <see cref="KillGrace"/>. Default: none (Salt's own <c>-t</c>, and
    /// <see cref="DefaultKillAfter"/>).
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary><c>--batch-size</c>: passed as <c>--batch-size N</c> (a count or a percentage like <c>25%</c>). Default: none.</summary>
    public string? BatchSize { get; init; }

    /// <summary>
    /// Hard limit of one salt process; past it the process tree is killed. Default: <see cref="Timeout"/>
    /// plus <see cref="KillGrace"/>, or <see cref="DefaultKillAfter"/> when no timeout is set.
    /// </summary>
    public TimeSpan? ProcessTimeout { get; init; }

    /// <summary>Extra time salt gets past <see cref="Timeout"/> to print what it has before it is killed: 2 minutes.</summary>
    public static TimeSpan KillGrace { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Hard limit of one salt run when no <see cref="Timeout"/> is set: 6 hours.</summary>
    public static TimeSpan DefaultKillAfter { get; } = TimeSpan.FromHours(6);

    /// <summary>Whether Salt is configured at all.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Command) && !string.Equals(Command, "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>How long one salt process may run before it is killed.</summary>
    public TimeSpan KillAfter => ProcessTimeout ?? (Timeout is { } timeout ? timeout + KillGrace : DefaultKillAfter);

    /// <summary>The Salt-independent part, for <see cref="HighstateOrchestrator"/>.</summary>
    public HighstateOptions ToHighstateOptions() => new() { Timeout = Timeout, BatchSize = BatchSize };

    /// <summary>Null when valid, else a message naming the flag.</summary>
    public string? Validate()
    {
        if (Timeout is { } timeout && timeout < TimeSpan.FromSeconds(1))
        {
            return $"--highstate-timeout must be at least 1 second (got {timeout})";
        }

        if (BatchSize is not null && !BatchSizePattern().IsMatch(BatchSize))
        {
            return $"--batch-size must be a positive count or percentage like 10 or 25% (got '{BatchSize}')";
        }

        if (ConfigDirectory is not null && !Directory.Exists(ConfigDirectory))
        {
            return $"--salt-config-dir '{ConfigDirectory}' does not exist";
        }

        return null;
    }

    [GeneratedRegex(@"\A[1-9][0-9]{0,5}%?\z", RegexOptions.CultureInvariant)]
    private static partial Regex BatchSizePattern();
}
