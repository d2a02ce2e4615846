using System.Diagnostics;

namespace Spiro.Core.Releases.Publishing;

/// <summary>
/// TEST ONLY: with <c>SPIRO_FAULT_KILL_AT=&lt;step&gt;</c> in the environment the process kills
/// itself (SIGKILL, no cleanup) just before that publish step, so crash recovery is tested with
/// real kill -9 at every step. Compiled in only when <c>SPIRO_FAULT_POINTS</c> is defined (the
/// default build, which the tests run); <c>./build.sh publish</c> and <c>./build.sh package</c> build
/// with <c>-p:SpiroFaultPoints=false</c>, so in what ships every call to <see cref="Hit"/> is removed.
/// </summary>
internal static class FaultPoints
{
    public const string Variable = "SPIRO_FAULT_KILL_AT";

    /// <summary>The publish steps in order; each is a fault point.</summary>
    public static readonly IReadOnlyList<string> PublishSteps =
        ["lock", "extract", "top", "objects", "tree", "manifest", "release", "flip", "record", "audit", "retention", "cleanup"];

    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);

    [Conditional("SPIRO_FAULT_POINTS")]
    public static void Hit(string step)
    {
        if (Target is not null && string.Equals(Target, step, StringComparison.Ordinal))
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
