namespace Spiro.Core.Tokens;

/// <summary>What to issue.</summary>
/// <param name="Scope">Projects, deployments, admin.</param>
/// <param name="Label">Holder description (free text, may be empty).</param>
/// <param name="NotBefore">Start of validity, when later than now.</param>
/// <param name="Lifespan">Validity from issue (or from <paramref name="NotBefore"/>); null: no expiry.</param>
public sealed record TokenRequest(TokenScope Scope, string Label, DateTimeOffset? NotBefore, TimeSpan? Lifespan);
