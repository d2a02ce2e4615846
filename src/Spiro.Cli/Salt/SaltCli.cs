using System.CommandLine;
using Spiro.Server.Options;

namespace Spiro.Cli.Salt;

/// <summary><c>--salt-command</c> and <c>--salt-config-dir</c> of the verbs that call Salt, and how they are resolved.</summary>
internal static class SaltCli
{
    public static Option<string?> CommandOption() => new("--salt-command") { Description = "The salt executable (default: --config's salt_command, else salt on PATH)." };

    public static Option<string?> ConfigDirOption() => new("--salt-config-dir") { Description = "Salt's config directory (salt -c; default: --config's salt_config_dir)." };

    /// <summary>
    /// The Salt settings as that master's server uses them: a flag wins, then the <c>--config</c>
    /// file's <c>salt_command</c>, <c>salt_config_dir</c>, <c>highstate_timeout</c> and <c>batch_size</c>
    /// (<paramref name="settings"/>, null without one), then <c>salt</c> on PATH.
    /// </summary>
    public static Spiro.Salt.SaltOptions Options(ParseResult parse, Option<string?> command, Option<string?> configDir, ServerOptions? settings) => new()
    {
        Command = parse.GetValue(command) ?? settings?.SaltCommand ?? Spiro.Salt.SaltOptions.DefaultCommand,
        ConfigDirectory = parse.GetValue(configDir) ?? settings?.SaltConfigDir,
        Timeout = settings?.HighstateTimeout,
        BatchSize = settings?.BatchSize,
    };
}
