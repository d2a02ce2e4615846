using System.CommandLine;
using System.CommandLine.Parsing;
using Spiro.Cluster;
using Spiro.Server.Options;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>--config FILE</c> on every verb that takes <c>--data</c> (docs/cli.md): the same settings file
/// as <c>spiro serve --config</c>, read as the server reads it (<see cref="ServerSettings"/>: a
/// given <c>--data</c> is the flag, then <c>SPIRO_DATA</c>, then the file's <c>data</c>); with a <c>cluster:</c> section the verb acts on the cluster as a master's server does:
/// metadata in PostgreSQL, changes under the cross-master lock in one transaction, the other masters told.
/// </summary>
internal static class ConfigCli
{
    public const string Name = "--config";

    private const string DataName = "--data";

    // The --data options of the verbs that resolve their store through Resolve (StoreCli.DataOption).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, object> StoreData = [];

    // Verbs whose state is each master's own (project settings live in every master's data
    // directory and config file): in a cluster they would change one master only.
    private static readonly HashSet<string> PerMaster = new(StringComparer.Ordinal) { "project" };

    /// <summary>Marks <paramref name="data"/> as the <c>--data</c> of a verb that opens its store through <see cref="Resolve"/>.</summary>
    public static Option<string> ResolvesStore(Option<string> data)
    {
        StoreData.AddOrUpdate(data, new object());
        return data;
    }

    /// <summary>Adds <c>--config</c> to <paramref name="command"/> and every verb under it whose <c>--data</c> is resolved here (<see cref="ResolvesStore"/>).</summary>
    public static void AddToStoreVerbs(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var verb in command.Subcommands)
        {
            AddToStoreVerbs(verb);
        }

        if (command.Options.Any(o => StoreData.TryGetValue(o, out _)) && !command.Options.Any(o => o.Name == Name))
        {
            command.Options.Add(new Option<string?>(Name)
            {
                Description = "A `spiro serve` settings file: its data: is the data directory (unless --data is given); with a cluster: section this acts on the cluster (docs/cluster.md).",
            });
        }
    }

    /// <summary>
    /// The data directory and cluster of this invocation: <paramref name="data"/> alone without
    /// <c>--config</c>; null (after printing why, <paramref name="exitCode"/> set) when the file is
    /// bad, the verb cannot act on a cluster, or the cluster's services cannot be used.
    /// </summary>
    public static StoreTarget? Resolve(ParseResult parse, string data, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(parse);
        exitCode = ExitCodes.Ok;
        if (parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == Name) is not Option<string?> option || parse.GetValue(option) is not { } file)
        {
            return new StoreTarget(data, null);
        }

        // Read as spiro serve reads it (flag > environment > file > default): --data, when given, is the flag.
        var (options, errors) = ServerSettings.Load(new ServerSettingSources
        {
            ConfigFile = file,
            Flags = DataGiven(parse) ? new Dictionary<string, string>(StringComparer.Ordinal) { ["data"] = data } : new Dictionary<string, string>(StringComparer.Ordinal),
        });
        if (errors.Count > 0)
        {
            return Refuse(parse, out exitCode, ExitCodes.Usage, $"error: invalid configuration {file}: {string.Join("; ", errors)}");
        }

        var directory = options.Data;
        if (options.Cluster is null)
        {
            return new StoreTarget(directory, null) { Settings = options };
        }

        if (Verb(parse) is { } verb && PerMaster.Contains(verb))
        {
            return Refuse(parse, out exitCode, ExitCodes.Usage,
                $"error: spiro {verb} cannot act on a cluster: project settings are each master's own; set them under projects: in every master's config file (docs/cluster.md)");
        }

        try
        {
            return new StoreTarget(directory, ClusterStorage.OpenAsync(options.Cluster, directory, register: false, CancellationToken.None).GetAwaiter().GetResult()) { Settings = options };
        }
        catch (ClusterUnavailableException exception)
        {
            return Refuse(parse, out exitCode, ExitCodes.Failure, $"error: {exception.Message}");
        }
    }

    /// <summary>Whether <c>--data</c> was given on the command line (not its default).</summary>
    internal static bool DataGiven(ParseResult parse) =>
        parse.CommandResult.Children.OfType<OptionResult>().Any(r => r.Option.Name == DataName && !r.Implicit);

    // The top-level verb ("project" for "spiro project set").
    private static string? Verb(ParseResult parse)
    {
        string? verb = null;
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as CommandResult)
        {
            verb = result.Command.Name;
        }

        return verb;
    }

    private static StoreTarget? Refuse(ParseResult parse, out int exitCode, int code, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine(message);
        exitCode = code;
        return null;
    }
}
