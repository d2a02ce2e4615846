namespace Spiro.Dashboard.Sessions;

/// <summary>A signed-in browser: which token it signed in with (by public id; the secret is never kept) and until when.</summary>
/// <param name="TokenId">Public id of the token.</param>
/// <param name="Created">When the browser signed in.</param>
/// <param name="Expires">When the session ends, whatever the token's own expiry.</param>
internal sealed record DashboardSession(string TokenId, DateTimeOffset Created, DateTimeOffset Expires);
