using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Spiro.Dashboard.Sessions;

/// <summary>
/// Server-side sessions in memory, keyed by the sha256 of a random 256-bit cookie value (a memory
/// dump shows no usable cookie). A restart signs everybody out, which is the safe direction.
/// </summary>
internal sealed class SessionStore(DashboardOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Opens a session for <paramref name="tokenId"/>; returns the cookie value and the session.</summary>
    public (string CookieValue, DashboardSession Session) Create(string tokenId, DateTimeOffset? tokenExpires)
    {
        var now = time.GetUtcNow();
        var expires = now + options.SessionLifetime;
        if (tokenExpires is { } tokenEnd && tokenEnd < expires)
        {
            expires = tokenEnd;
        }

        Trim(now);
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var session = new DashboardSession(tokenId, now, expires);
        _sessions[Key(value)] = session;
        return (value, session);
    }

    /// <summary>The live session for <paramref name="cookieValue"/>, or null (unknown, expired, or no cookie).</summary>
    public DashboardSession? Find(string? cookieValue)
    {
        if (string.IsNullOrEmpty(cookieValue) || cookieValue.Length > 100)
        {
            return null;
        }

        var key = Key(cookieValue);
        if (!_sessions.TryGetValue(key, out var session))
        {
            return null;
        }

        if (session.Expires <= time.GetUtcNow())
        {
            _sessions.TryRemove(key, out _);
            return null;
        }

        return session;
    }

    /// <summary>Ends the session of <paramref name="cookieValue"/>, if any.</summary>
    public void Remove(string? cookieValue)
    {
        if (!string.IsNullOrEmpty(cookieValue) && cookieValue.Length <= 100)
        {
            _sessions.TryRemove(Key(cookieValue), out _);
        }
    }

    /// <summary>Ends every session opened with <paramref name="tokenId"/> (the token was revoked).</summary>
    public void RemoveToken(string tokenId)
    {
        foreach (var (key, session) in _sessions)
        {
            if (session.TokenId == tokenId)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Drops expired sessions, then the oldest while the store is full.</summary>
    private void Trim(DateTimeOffset now)
    {
        if (_sessions.Count < options.MaxSessions)
        {
            return;
        }

        foreach (var (key, session) in _sessions.Where(pair => pair.Value.Expires <= now).ToList())
        {
            _sessions.TryRemove(key, out _);
        }

        foreach (var (key, _) in _sessions.OrderBy(pair => pair.Value.Created).Take(Math.Max(0, _sessions.Count - options.MaxSessions + 1)).ToList())
        {
            _sessions.TryRemove(key, out _);
        }
    }

    private static string Key(string cookieValue) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cookieValue)));
}
