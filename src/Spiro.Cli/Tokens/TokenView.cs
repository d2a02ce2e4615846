namespace Spiro.Cli.Tokens;

/// <summary>JSON shape of a token in <c>spiro token list/inspect --json</c> (snake_case).</summary>
internal sealed record TokenView(
    string Id,
    string Label,
    IReadOnlyList<string> Projects,
    IReadOnlyList<string> Deployments,
    bool Admin,
    bool Root,
    DateTimeOffset Created,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires,
    DateTimeOffset? Revoked,
    DateTimeOffset? LastUsed,
    string Status);
