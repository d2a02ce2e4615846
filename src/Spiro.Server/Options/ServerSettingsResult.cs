namespace Spiro.Server.Options;

/// <summary>Merged settings and every problem found while reading and validating them; start only when <see cref="Errors"/> is empty.</summary>
public sealed record ServerSettingsResult(ServerOptions Options, IReadOnlyList<string> Errors);
