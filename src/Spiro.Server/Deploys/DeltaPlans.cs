using System.Security.Cryptography;
using Spiro.Core.Names;
using Spiro.Core.Releases.Deltas;

namespace Spiro.Server.Deploys;

/// <summary>
/// Plans of negotiated uploads between their two requests, in memory: one pending plan per
/// saltenv (a newer one replaces it), used once, gone after <see cref="Lifetime"/>, and at most
/// <see cref="MaxEntries"/> entries held in all (the oldest plans go first). A plan that is gone
/// is answered as such, and the client negotiates again or uploads the whole bundle.
/// </summary>
internal sealed class DeltaPlans(TimeProvider time)
{
    /// <summary>How long a plan waits for its upload.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Entries held over all plans (about 200 bytes each).</summary>
    public const int MaxEntries = 1_000_000;

    private readonly Dictionary<string, Stored> _plans = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _entries;

    /// <summary>Keeps <paramref name="entries"/> for <paramref name="saltEnv"/> and the token that made it; returns its id.</summary>
    public string Add(SaltEnvName saltEnv, string tokenId, IReadOnlyList<PlannedEntry> entries)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var old in _plans.Values.Where(p => p.Expires <= now || p.SaltEnv == saltEnv).ToList())
            {
                Remove(old.Id);
            }

            foreach (var old in _plans.Values.OrderBy(p => p.Expires).ToList())
            {
                if (_entries + entries.Count <= MaxEntries)
                {
                    break;
                }

                Remove(old.Id);
            }

            _plans[id] = new Stored(id, saltEnv, tokenId, entries, now + Lifetime);
            _entries += entries.Count;
        }

        return id;
    }

    /// <summary>The plan, removed, when it exists, has not expired and belongs to this saltenv and token; else null.</summary>
    public IReadOnlyList<PlannedEntry>? Take(string id, SaltEnvName saltEnv, string tokenId)
    {
        lock (_lock)
        {
            if (!_plans.TryGetValue(id, out var plan) || plan.SaltEnv != saltEnv || !string.Equals(plan.TokenId, tokenId, StringComparison.Ordinal))
            {
                return null;
            }

            Remove(id);
            return plan.Expires > time.GetUtcNow() ? plan.Entries : null;
        }
    }

    private void Remove(string id)
    {
        if (_plans.Remove(id, out var plan))
        {
            _entries -= plan.Entries.Count;
        }
    }

    private sealed record Stored(string Id, SaltEnvName SaltEnv, string TokenId, IReadOnlyList<PlannedEntry> Entries, DateTimeOffset Expires);
}
