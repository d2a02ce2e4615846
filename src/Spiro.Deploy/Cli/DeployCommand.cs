using System.CommandLine;
using System.CommandLine.Help;
using Spiro.Deploy.Deploying;

namespace Spiro.Deploy.Cli;

/// <summary>The <c>spiro-deploy</c> command line: parse, validate, hand over to <see cref="DeployRunner"/>.</summary>
internal static class DeployCommand
{
    /// <summary>Runs the command as the process would, writing to <paramref name="console"/>.</summary>
    public static async Task<int> RunAsync(string[] args, ConsoleEnvironment console, CancellationToken cancellationToken)
    {
        var root = Create(console);
        var parse = root.Parse(BareIncludeSource(args));
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction and not ExitCodeHelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"spiro-deploy: {error.Message}");
            }

            await console.Error.WriteLineAsync("Try 'spiro-deploy --help'.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>
    /// <c>--include-source</c> takes an optional value; a bare one followed by PROJECT must not swallow
    /// PROJECT, so it becomes <c>--include-source=git</c> unless a method follows.
    /// </summary>
    internal static string[] BareIncludeSource(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1].ToLowerInvariant() : null;
            result.Add(args[i] == "--include-source" && next is not ("git" or "fs" or "filesystem") ? "--include-source=git" : args[i]);
            if (args[i] == "--")
            {
                result.AddRange(args[(i + 1)..]);
                break;
            }
        }

        return [.. result];
    }

    private static RootCommand Create(ConsoleEnvironment console)
    {
        var project = new Argument<string>("PROJECT") { Description = "Project to deploy to" };
        var deployment = new Argument<string>("DEPLOYMENT") { Description = "Deployment of the project (saltenv PROJECT/DEPLOYMENT)" };
        var highstate = new Option<bool>("--highstate") { Description = "Highstate the affected minions after deploying (default)" };
        var noHighstate = new Option<bool>("--no-highstate") { Description = "Deploy only; do not highstate" };
        var test = new Option<bool>("--test") { Description = "Highstate with test=True (dry run; needs the v1 API)" };
        var plan = new Option<bool>("--plan") { Description = "Plan instead of deploying: upload the bundle as a candidate that is not live, print its diff against live, the minions it selects and (with Salt) a test=True highstate of them; prints Plan ID (needs the v1 API)" };
        var apply = new Option<string?>("--apply") { Description = "Make the candidate of plan PLAN_ID live (no upload), then highstate as a deploy does; refused if the live release moved since the plan", HelpName = "PLAN_ID" };
        var force = new Option<bool>("--force") { Description = "With --apply: apply even though the live release moved since the plan" };
        var tolerateMissing = new Option<bool>("--tolerate-missing") { Description = "Exit 0 even when expected minions did not return (they are still reported)" };
        var artifact = new Option<string[]>("--artifact") { Description = "File or directory to store under _artifacts/PATH (repeatable)", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false, HelpName = "PATH" };
        var includeSource = new Option<string?>("--include-source") { Description = "Store the source under _source/, from git (HEAD, default) or fs (the working tree)", Arity = ArgumentArity.ZeroOrOne, HelpName = "git|fs" };
        var token = new Option<string?>("--token") { Description = "Deploy token (default: $SPIRO_TOKEN)", HelpName = "TOKEN" };
        var server = new Option<string?>("--server") { Description = $"Deploy server URL (default: $SPIRO_URL, else {ArgumentValidator.DefaultServer})", HelpName = "URL" };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify the server's TLS certificate (not recommended)" };
        var sslCert = new Option<string?>("--ssl-cert") { Description = "CA or server certificate to trust (PEM or DER)", HelpName = "FILE" };
        var saltDir = new Option<string>("--salt-dir") { Description = "Directory whose content is the bundle root", DefaultValueFactory = _ => "_salt", HelpName = "DIR" };
        var projectDir = new Option<string>("--project-dir") { Description = "Repository root to bundle from", DefaultValueFactory = _ => ".", HelpName = "DIR" };
        var timeout = new Option<string?>("--timeout") { Description = "Give up after this long (seconds, or a number with s, m, h, d or w: 900, 15m, 1h); exit 5", HelpName = "DURATION" };
        var compress = new Option<string?>("--compress") { Description = "Bundle compression on the v1 API: auto (gzip when offered, default), gzip, zstd (server must offer it) or none", HelpName = "auto|gzip|zstd|none" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per event on stdout" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every state of every minion" };
        var noColor = new Option<bool>("--no-color") { Description = "No colours (also when NO_COLOR is set)" };
        var noHashCache = new Option<bool>("--no-hash-cache") { Description = "Hash every file for the negotiated upload instead of reusing .spiro-deploy/hash-cache (unchanged path, inode, size, mtime and ctime)" };

        var root = new RootCommand("Deploy this repository's Salt states to a SpiroFS server and highstate the minions that use them.")
        {
            project, deployment, highstate, noHighstate, test, plan, apply, force, tolerateMissing, artifact, includeSource, token, server, insecure, sslCert,
            saltDir, projectDir, timeout, compress, json, verbose, noColor, noHashCache,
        };

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new ExitCodeHelpAction((HelpAction)help.Action!);
        }

        root.SetAction(async (parse, ct) =>
        {
            var raw = new RawArguments
            {
                Project = parse.GetValue(project),
                Deployment = parse.GetValue(deployment),
                Highstate = parse.GetValue(highstate),
                NoHighstate = parse.GetValue(noHighstate),
                Test = parse.GetValue(test),
                TolerateMissing = parse.GetValue(tolerateMissing),
                Plan = parse.GetValue(plan),
                Apply = parse.GetValue(apply),
                Force = parse.GetValue(force),
                Artifacts = parse.GetValue(artifact) ?? [],
                IncludeSourceGiven = parse.GetResult(includeSource) is not null,
                IncludeSource = parse.GetValue(includeSource),
                Token = parse.GetValue(token),
                Server = parse.GetValue(server),
                Insecure = parse.GetValue(insecure),
                SslCertificate = parse.GetValue(sslCert),
                SaltDirectory = parse.GetValue(saltDir) ?? "_salt",
                ProjectDirectory = parse.GetValue(projectDir) ?? ".",
                Timeout = parse.GetValue(timeout),
                Compress = parse.GetValue(compress),
                Json = parse.GetValue(json),
                Verbose = parse.GetValue(verbose),
                NoColor = parse.GetValue(noColor),
                NoHashCache = parse.GetValue(noHashCache),
            };
            var validation = ArgumentValidator.Validate(raw, console.GetVariable);
            if (validation.Options is not { } options)
            {
                await console.Error.WriteLineAsync($"spiro-deploy: {validation.Error}");
                return ExitCodes.Usage;
            }

            return await new DeployRunner(options, console).RunAsync(ct);
        });
        return root;
    }
}
