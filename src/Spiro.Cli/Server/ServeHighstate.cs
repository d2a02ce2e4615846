using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Salt;
using Spiro.Server.Options;

namespace Spiro.Cli.Server;

/// <summary>Chooses the Salt boundary for <c>spiro serve</c>: the salt CLI, or none when there is no Salt.</summary>
internal static class ServeHighstate
{
    /// <summary>The Salt settings: <c>salt_command</c> when set, else <c>salt</c> if it is on PATH, else no Salt.</summary>
    public static SaltOptions Options(ServerOptions options) => new()
    {
        Command = options.SaltCommand ?? (OnPath(SaltOptions.DefaultCommand) ? SaltOptions.DefaultCommand : null),
        ConfigDirectory = options.SaltConfigDir,
        Timeout = options.HighstateTimeout,
        BatchSize = options.BatchSize,
    };

    public static Func<MetadataDatabase, ILoggerFactory, IHighstateService> Factory(SaltOptions salt) =>
        (database, loggers) => SaltHighstate.Create(salt, new HighstateResultStore(database), TimeProvider.System, loggers);

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));
}
