using System.CommandLine;
using Spiro.Core.Releases;
using Spiro.Server;
using Spiro.Server.Options;

namespace Spiro.Cli.Server;

/// <summary><c>spiro serve</c>: the deploy server. Config file keys and flags are listed in docs/api.md.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "TCP port (default 4510)." };
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 0.0.0.0)." };
        var sslCrt = new Option<string?>("--ssl-crt") { Description = "PEM certificate (chain allowed); enables HTTPS, TLS 1.2+." };
        var sslKey = new Option<string?>("--ssl-key") { Description = "PEM private key." };
        var data = new Option<string?>("--data") { Description = "Data directory (env SPIRO_DATA)." };
        var config = new Option<string?>("--config") { Description = "YAML or JSON file with the same keys (port, host, ssl_crt, ssl_key, data, ...)." };
        var saltCommand = new Option<string?>("--salt-command") { Description = "The salt executable (default: salt on PATH)." };
        var saltConfigDir = new Option<string?>("--salt-config-dir") { Description = "Salt's config directory (salt -c)." };
        var highstateTimeout = new Option<string?>("--highstate-timeout") { Description = "How long to wait for minions, e.g. 10m." };
        var batchSize = new Option<string?>("--batch-size") { Description = "Highstate this many minions at a time (salt --batch-size)." };
        var maxDeploys = new Option<int?>("--max-concurrent-deploys") { Description = "Deploys publishing at once (default 8)." };
        var maxBody = new Option<string?>("--max-body-size") { Description = "Largest upload, e.g. 2G." };
        var keep = new Option<int?>("--keep-releases") { Description = "Newest releases kept per saltenv; the live one is kept too when older, e.g. after a rollback (default 10)." };
        var command = new Command("serve", "Run the deploy server (the compatible endpoint and the v1 API).")
        {
            port, host, sslCrt, sslKey, data, config, saltCommand, saltConfigDir, highstateTimeout, batchSize, maxDeploys, maxBody, keep,
        };

        // Synchronous on purpose: the host's console lifetime then owns SIGTERM and shuts down gracefully.
        command.SetAction(parse =>
        {
            var errors = new List<string>();
            var options = new ServerOptions { Data = Environment.GetEnvironmentVariable("SPIRO_DATA") is { Length: > 0 } env ? env : StoreOptions.DefaultDataDirectory };
            if (parse.GetValue(config) is { } file)
            {
                options = ServerConfigFile.Apply(options, file, errors);
            }

            options = options with
            {
                Port = parse.GetValue(port) ?? options.Port,
                Host = parse.GetValue(host) ?? options.Host,
                SslCrt = parse.GetValue(sslCrt) ?? options.SslCrt,
                SslKey = parse.GetValue(sslKey) ?? options.SslKey,
                Data = parse.GetValue(data) ?? options.Data,
                SaltCommand = parse.GetValue(saltCommand) ?? options.SaltCommand,
                SaltConfigDir = parse.GetValue(saltConfigDir) ?? options.SaltConfigDir,
                BatchSize = parse.GetValue(batchSize) ?? options.BatchSize,
                MaxConcurrentDeploys = parse.GetValue(maxDeploys) ?? options.MaxConcurrentDeploys,
                KeepReleases = parse.GetValue(keep) ?? options.KeepReleases,
            };
            options = Parsed(options, parse.GetValue(highstateTimeout), parse.GetValue(maxBody), errors);
            var stderr = parse.InvocationConfiguration.Error;
            var salt = ServeHighstate.Options(options);
            if (salt.Validate() is { } saltError)
            {
                errors.Add(saltError);
            }

            if (errors.Count > 0)
            {
                stderr.WriteLine($"spiro serve: invalid configuration: {string.Join("; ", errors)}");
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
        });
        return command;
    }

    private static ServerOptions Parsed(ServerOptions options, string? highstateTimeout, string? maxBody, List<string> errors)
    {
        if (highstateTimeout is not null)
        {
            if (ConfigValues.ParseDuration(highstateTimeout) is { } timeout)
            {
                options = options with { HighstateTimeout = timeout };
            }
            else
            {
                errors.Add($"highstate_timeout: '{highstateTimeout}' is not a duration (e.g. 10m)");
            }
        }

        if (maxBody is not null)
        {
            if (ConfigValues.ParseSize(maxBody) is { } size)
            {
                options = options with { MaxBodySize = size };
            }
            else
            {
                errors.Add($"max_body_size: '{maxBody}' is not a size (e.g. 2G)");
            }
        }

        return options;
    }
}
