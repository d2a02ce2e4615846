using Spiro.Core.Highstate;
using Spiro.Server.Options;

namespace Spiro.Cli.Server;

/// <summary>Chooses the Salt boundary for <c>spiro serve</c>.</summary>
internal static class ServeHighstate
{
    // TODO(#4): use Spiro.Salt's SaltHighstate.Create once the saltnet work is in main.
    public static IHighstateService Create(ServerOptions options)
    {
        _ = options;
        return new NoSaltHighstateService();
    }
}
