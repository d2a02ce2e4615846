using System.Globalization;
using Spiro.Core.Names;

namespace Spiro.Core.Highstate;

/// <summary>The salt command line of a highstate (docs/highstate.md, "How a highstate runs").</summary>
public static class HighstateCommand
{
    /// <summary>
    /// <c>-L m1,m2 state.highstate saltenv=S queue=True [test=True] --out=json --out-indent=-1 --show-jid [-t N] [--batch-size N]</c>.
    /// Never <c>--static</c>: it waits for all minions, can lose a real return under a bogus second
    /// document and exits 0 when states failed. <c>--show-jid</c> prints <c>jid: N</c> first: the
    /// compatible endpoint sends it in each result, as Salt's <c>cmd_iter</c> did.
    /// </summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> minions, SaltEnvName saltEnv, bool test, HighstateOptions options)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        return Arguments(minions, saltEnv.ToString(), test, options);
    }

    /// <summary>The same for the saltenv Salt knows as <paramref name="saltEnv"/> (a plan saltenv for a plan's test run).</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> minions, string saltEnv, bool test, HighstateOptions options)
    {
        ArgumentNullException.ThrowIfNull(minions);
        ArgumentException.ThrowIfNullOrEmpty(saltEnv);
        ArgumentNullException.ThrowIfNull(options);
        var arguments = new List<string>
        {
            "-L", string.Join(',', minions), "state.highstate", $"saltenv={saltEnv}", "queue=True",
        };
        if (test)
        {
            arguments.Add("test=True");
        }

        arguments.Add("--out=json");
        arguments.Add("--out-indent=-1");
        arguments.Add("--show-jid");
        AddTimeout(arguments, options);
        if (!string.IsNullOrEmpty(options.BatchSize))
        {
            arguments.Add("--batch-size");
            arguments.Add(options.BatchSize);
        }

        return arguments;
    }

    private static void AddTimeout(List<string> arguments, HighstateOptions options)
    {
        if (options.Timeout is { } timeout)
        {
            arguments.Add("-t");
            arguments.Add(((long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }
    }
}
