using Microsoft.AspNetCore.Http;
using Spiro.Core.Names;
using Spiro.Core.Tokens;

namespace Spiro.Server.Auth;

/// <summary>Who passed a route's access filter (<see cref="Access"/>), for the handler behind it.</summary>
/// <param name="Token">The accepted token.</param>
/// <param name="SaltEnv">The saltenv the need named, if any.</param>
/// <param name="Found">The record the route names (a deploy, a plan), if any.</param>
internal sealed record Caller(TokenRecord Token, SaltEnvName? SaltEnv, object? Found)
{
    private static readonly object Key = new();

    /// <summary>The caller the filter let through; only routes with <see cref="Access.Requires{TBuilder}"/> have one.</summary>
    public static Caller Of(HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException($"{context.Request.Path} has no access filter");

    internal void Attach(HttpContext context) => context.Items[Key] = this;
}
