using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Core.Names;
using Spiro.Dashboard.Cluster;
using Spiro.Dashboard.Pages;

namespace Spiro.Dashboard.Endpoints;

/// <summary>
/// The answer to a rollback, promote or delete that went live here: in a cluster only once every
/// live master serves it, or after <c>cluster.apply_timeout</c> naming those that do not (the same
/// wait as the server's routes, <see cref="IMastersWait"/>); on a single master at once.
/// </summary>
internal static class ChangeDone
{
    /// <param name="releaseId">The release now live in <paramref name="saltEnv"/>; null for a delete.</param>
    /// <param name="moved">Whether the pointer moved (a rollback to the live release did not: nothing to wait for).</param>
    public static async Task<IResult> PageAsync(HttpContext http, PageContext context, string title, string message, IReadOnlyList<string> warnings, SaltEnvName saltEnv, string? releaseId, bool moved, string back)
    {
        MastersWaited? masters = null;
        if (moved && http.RequestServices.GetService<IMastersWait>() is { } wait)
        {
            masters = await wait.WaitForChangeAsync(saltEnv, releaseId, http.RequestAborted).ConfigureAwait(false);
        }

        IReadOnlyList<string> all = masters?.Problem is { } problem ? [.. warnings, problem] : warnings;
        return PageResults.Page(ChangePage.Render(context, title, message, all, masters, back));
    }
}
