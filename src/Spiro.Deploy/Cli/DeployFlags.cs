using System.CommandLine;

namespace Spiro.Deploy.Cli;

/// <summary>The arguments and options of <c>spiro-deploy</c> (in <c>--help</c> order), and reading them into <see cref="RawArguments"/>.</summary>
internal sealed class DeployFlags
{
    public Argument<string> Project { get; } = new("PROJECT") { Description = "Project to deploy to" };

    public Argument<string> Deployment { get; } = new("DEPLOYMENT") { Description = "Deployment of the project (saltenv PROJECT/DEPLOYMENT)" };

    public Option<bool> Highstate { get; } = new("--highstate") { Description = "Highstate the affected minions after deploying (default)" };

    public Option<bool> NoHighstate { get; } = new("--no-highstate") { Description = "Deploy only; do not highstate" };

    public Option<bool> Test { get; } = new("--test") { Description = "Highstate with test=True (dry run; needs the v1 API)" };

    public Option<bool> Plan { get; } = new("--plan") { Description = "Plan instead of deploying: upload the bundle as a candidate that is not live, print its diff against live, the minions it selects and (with Salt) a test=True highstate of them; prints Plan ID (needs the v1 API)" };

    public Option<string?> Apply { get; } = new("--apply") { Description = "Make the candidate of plan PLAN_ID live (no upload), then highstate as a deploy does; refused if the live release moved since the plan", HelpName = "PLAN_ID" };

    public Option<bool> Force { get; } = new("--force") { Description = "With --apply: apply even though the live release moved since the plan" };

    public Option<bool> TolerateMissing { get; } = new("--tolerate-missing") { Description = "Exit 0 even when expected minions did not return (they are still reported)" };

    public Option<string[]> Artifact { get; } = new("--artifact") { Description = "File or directory to store under _artifacts/PATH (repeatable)", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false, HelpName = "PATH" };

    public Option<string?> IncludeSource { get; } = new("--include-source") { Description = "Store the source under _source/, from git (HEAD, default) or fs (the working tree)", Arity = ArgumentArity.ZeroOrOne, HelpName = "git|fs" };

    public Option<string?> Token { get; } = new("--token") { Description = "Deploy token (default: $SPIRO_TOKEN)", HelpName = "TOKEN" };

    public Option<string?> Server { get; } = new("--server") { Description = $"Deploy server URL (default: $SPIRO_URL, else {ArgumentValidator.DefaultServer})", HelpName = "URL" };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Do not verify the server's TLS certificate (not recommended)" };

    public Option<string?> SslCert { get; } = new("--ssl-cert") { Description = "CA or server certificate to trust (PEM or DER)", HelpName = "FILE" };

    public Option<string> SaltDir { get; } = new("--salt-dir") { Description = "Directory whose content is the bundle root", DefaultValueFactory = _ => "_salt", HelpName = "DIR" };

    public Option<string> ProjectDir { get; } = new("--project-dir") { Description = "Repository root to bundle from", DefaultValueFactory = _ => ".", HelpName = "DIR" };

    public Option<string?> Timeout { get; } = new("--timeout") { Description = "Give up after this long (seconds, or a number with s, m, h, d or w: 900, 15m, 1h); exit 5", HelpName = "DURATION" };

    public Option<string?> Compress { get; } = new("--compress") { Description = "Bundle compression on the v1 API: auto (gzip when offered, default), gzip, zstd (server must offer it) or none", HelpName = "auto|gzip|zstd|none" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object per event on stdout" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show every state of every minion" };

    public Option<bool> NoColor { get; } = new("--no-color") { Description = "No colours (also when NO_COLOR is set)" };

    public Option<bool> NoHashCache { get; } = new("--no-hash-cache") { Description = "Hash every file for the negotiated upload instead of reusing .spiro-deploy/hash-cache (unchanged path, inode, size, mtime and ctime)" };

    /// <summary>Adds every argument and option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var argument in new Argument[] { Project, Deployment })
        {
            command.Arguments.Add(argument);
        }

        foreach (var option in new Option[]
        {
            Highstate, NoHighstate, Test, Plan, Apply, Force, TolerateMissing, Artifact,
            IncludeSource, Token, Server, Insecure, SslCert, SaltDir, ProjectDir, Timeout,
            Compress, Json, Verbose, NoColor, NoHashCache,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>What the user typed, unvalidated (<see cref="ArgumentValidator"/> checks it).</summary>
    public RawArguments Read(ParseResult parse) => new()
    {
        Project = parse.GetValue(Project),
        Deployment = parse.GetValue(Deployment),
        Highstate = parse.GetValue(Highstate),
        NoHighstate = parse.GetValue(NoHighstate),
        Test = parse.GetValue(Test),
        TolerateMissing = parse.GetValue(TolerateMissing),
        Plan = parse.GetValue(Plan),
        Apply = parse.GetValue(Apply),
        Force = parse.GetValue(Force),
        Artifacts = parse.GetValue(Artifact) ?? [],
        IncludeSourceGiven = parse.GetResult(IncludeSource) is not null,
        IncludeSource = parse.GetValue(IncludeSource),
        Token = parse.GetValue(Token),
        Server = parse.GetValue(Server),
        Insecure = parse.GetValue(Insecure),
        SslCertificate = parse.GetValue(SslCert),
        SaltDirectory = parse.GetValue(SaltDir) ?? "_salt",
        ProjectDirectory = parse.GetValue(ProjectDir) ?? ".",
        Timeout = parse.GetValue(Timeout),
        Compress = parse.GetValue(Compress),
        Json = parse.GetValue(Json),
        Verbose = parse.GetValue(Verbose),
        NoColor = parse.GetValue(NoColor),
        NoHashCache = parse.GetValue(NoHashCache),
    };
}
