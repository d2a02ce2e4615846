using System.CommandLine;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Cli.Server;

/// <summary>
/// <c>spiro serve</c>: the deploy server. One flag per setting of <see cref="ServerSettingKeys"/>; the
/// merging of flags, environment, config file and defaults is <see cref="ServerSettings"/>'s (docs/api.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "YAML or JSON file with the same keys as the flags (port, host, ssl_crt, data, ...).", HelpName = "FILE" };
        var flags = ServerSettingKeys.All.Select(setting => (setting.Key, Option: new Option<string?>(setting.Flag) { Description = $"{setting.Description} Env {setting.Variable}." })).ToList();
        var command = new Command("serve", "Run the deploy server (the compatible endpoint and the v1 API).") { config };
        flags.ForEach(flag => command.Options.Add(flag.Option));

        // Synchronous on purpose: the host's console lifetime then owns SIGTERM and shuts down gracefully.
        command.SetAction(parse => Run(parse, new ServerSettingSources
        {
            ConfigFile = parse.GetValue(config),
            Flags = flags
                .Select(flag => (flag.Key, Value: parse.GetValue(flag.Option)))
                .Where(flag => flag.Value is not null)
                .ToDictionary(flag => flag.Key, flag => flag.Value!, StringComparer.Ordinal),
        }));
        return command;
    }

    private static int Run(ParseResult parse, ServerSettingSources sources)
    {
        var stderr = parse.InvocationConfiguration.Error;
        var (options, errors) = ServerSettings.Load(sources);
        var salt = ServeHighstate.Options(options);
        if (errors.Count > 0 || salt.Validate() is not null)
        {
            stderr.WriteLine($"spiro serve: invalid configuration: {string.Join("; ", errors.Append(salt.Validate()).OfType<string>())}");
            return ExitCodes.Usage;
        }

        try
        {
            using var app = SpiroServer.Build(options, ServeHighstate.Factory(salt));
            app.Run();
            return ExitCodes.Ok;
        }
        catch (ServerStartupException e)
        {
            stderr.WriteLine($"spiro serve: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
