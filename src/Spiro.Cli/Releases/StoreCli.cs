using System.CommandLine;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Layout;

namespace Spiro.Cli.Releases;

/// <summary>What every store verb shares: <c>--data</c>, opening the store, naming the actor, parsing saltenvs.</summary>
internal static class StoreCli
{
    public const string DataVariable = "SPIRO_DATA";

    public static Option<string> DataOption() => Cluster.ConfigCli.ResolvesStore(new("--data")
    {
        Description = $"The SpiroFS data directory (default: ${DataVariable} or {StoreOptions.DefaultDataDirectory}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 } fromEnv ? fromEnv : StoreOptions.DefaultDataDirectory,
    });

    public static Option<double> LockTimeoutOption() => new("--lock-timeout")
    {
        Description = "Seconds to wait for another process's lock on the saltenv before giving up (exit 3). Default 600.",
        DefaultValueFactory = _ => 600,
    };

    /// <summary><c>--limit N</c> for listing verbs; a negative N is a usage error at parse time.</summary>
    public static Option<int?> LimitOption()
    {
        var limit = new Option<int?>("--limit") { Description = "Show only the newest N rows." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
            {
                result.AddError("--limit must not be negative");
            }
        });
        return limit;
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (stable snake_case keys) instead of a table." };

    public static Argument<string> SaltEnvArgument(string name, string description) => new(name) { Description = description };

    /// <summary>Opens the store at --data (or --config's, in a cluster the cluster's); read-only verbs refuse to create a data directory that is not there.</summary>
    public static ReleaseStore? Open(ParseResult parse, Option<string> data, bool create, out int exitCode, Option<double>? lockTimeout = null) =>
        Open(parse, data, create, out exitCode, out _, lockTimeout);

    /// <inheritdoc cref="Open(ParseResult, Option{string}, bool, out int, Option{double}?)"/>
    /// <param name="opened">What the store was opened on (its cluster, with <c>--config</c>); null when it was not.</param>
    public static ReleaseStore? Open(ParseResult parse, Option<string> data, bool create, out int exitCode, out Cluster.StoreTarget? opened, Option<double>? lockTimeout = null)
    {
        opened = null;
        if (Cluster.ConfigCli.Resolve(parse, parse.GetValue(data)!, out exitCode) is not { } target)
        {
            return null;
        }

        var directory = target.Data;
        if (!create && (target.Cluster is null ? !File.Exists(DataDirectoryNames.DatabaseIn(directory)) : !Directory.Exists(directory)))
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: no SpiroFS data in {directory} (use --data DIR or set {DataVariable})");
            exitCode = ExitCodes.Usage;
            return null;
        }

        // Retention follows the server's keep_releases saved in the data directory (default 10 when no server ran).
        var options = new StoreOptions { DataDirectory = directory, KeepReleasesFromDataDirectory = true };
        if (lockTimeout is not null)
        {
            options = options with { LockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(lockTimeout))) };
        }

        opened = target;
        return target.OpenStore(options);
    }

    /// <summary>
    /// What every verb on one saltenv starts with: parse its P/D argument, then open the store at
    /// --data. Null with <paramref name="exitCode"/> set (and the message printed) when either fails.
    /// </summary>
    public static ReleaseStore? OpenFor(ParseResult parse, Argument<string> saltEnvArgument, Option<string> data, out SaltEnvName saltEnv, out int exitCode, bool create = false, Option<double>? lockTimeout = null) =>
        OpenFor(parse, saltEnvArgument, data, out saltEnv, out exitCode, out _, create, lockTimeout);

    /// <inheritdoc cref="OpenFor(ParseResult, Argument{string}, Option{string}, out SaltEnvName, out int, bool, Option{double}?)"/>
    /// <param name="opened">What the store was opened on (its cluster, with <c>--config</c>); null when it was not.</param>
    public static ReleaseStore? OpenFor(ParseResult parse, Argument<string> saltEnvArgument, Option<string> data, out SaltEnvName saltEnv, out int exitCode, out Cluster.StoreTarget? opened, bool create = false, Option<double>? lockTimeout = null)
    {
        opened = null;
        saltEnv = ParseSaltEnv(parse, saltEnvArgument)!;
        if (saltEnv is null)
        {
            exitCode = ExitCodes.Usage;
            return null;
        }

        return Open(parse, data, create, out exitCode, out opened, lockTimeout);
    }

    /// <summary>A saltenv with no rows to show is unknown only if it has no live release either (exit 1).</summary>
    public static bool IsUnknown(ParseResult parse, ReleaseStore store, SaltEnvName saltEnv, int rows)
    {
        if (rows > 0 || store.LiveReleasePath(saltEnv) is not null)
        {
            return false;
        }

        parse.InvocationConfiguration.Error.WriteLine($"error: unknown saltenv {saltEnv}");
        return true;
    }

    /// <summary>Parses P/D; on a bad name prints the rule-quoting message and returns null.</summary>
    public static SaltEnvName? ParseSaltEnv(ParseResult parse, Argument<string> argument)
    {
        var saltEnv = SaltEnvName.TryParse(parse.GetValue(argument), out var error);
        if (saltEnv is null)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {error}");
        }

        return saltEnv;
    }

    public static PublishContext Context(ParseResult parse) =>
        new($"cli:{Environment.UserName}", new Progress(parse.InvocationConfiguration.Error)) { How = "publish" };

    public static int Fail(ParseResult parse, int exitCode, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine(message);
        return exitCode;
    }

    /// <summary>Writes each warning to stderr (the operation itself succeeded).</summary>
    public static void Warn(ParseResult parse, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            parse.InvocationConfiguration.Error.WriteLine("warning: " + warning);
        }
    }

    /// <summary>Writes progress lines synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class Progress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
