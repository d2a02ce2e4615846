using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;

namespace Spiro.Salt;

/// <summary>Builds the server's <see cref="IHighstateService"/> from <see cref="SaltOptions"/>: one line of wiring.</summary>
public static class SaltHighstate
{
    /// <summary>
    /// A <see cref="HighstateOrchestrator"/> over the salt CLI, or <see cref="NoSaltHighstateService"/>
    /// when <see cref="SaltOptions.Enabled"/> is false. A salt command missing at run time is reported
    /// by each highstate (an <c>exception</c> event), so installing Salt later needs no restart.
    /// </summary>
    public static IHighstateService Create(SaltOptions options, HighstateResultStore? results, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return new NoSaltHighstateService();
        }

        return new HighstateOrchestrator(
            new SaltCliClient(options, loggers?.CreateLogger<SaltCliClient>()),
            options.ToHighstateOptions(),
            results,
            time,
            loggers?.CreateLogger<HighstateOrchestrator>());
    }
}
