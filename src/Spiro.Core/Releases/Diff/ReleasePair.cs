using Spiro.Core.Names;
using Spiro.Core.Releases.Contents;

namespace Spiro.Core.Releases.Diff;

/// <summary>
/// Which two releases <c>spiro diff P/D [FROM] [TO]</c> and the v1 route compare: by default the
/// release before the live one and the live one; with only FROM, FROM and the live one. Either
/// may be a kept release or a pending plan's candidate of the saltenv.
/// </summary>
/// <param name="From">The older side; null when there is none (every file then counts as added).</param>
/// <param name="To">The newer side; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the pair cannot be formed (unknown saltenv or release), else null.</param>
public sealed record ReleasePair(ReleaseInfo? From, ReleaseInfo? To, string? Error)
{
    /// <summary>Resolves the ids (null: the defaults above).</summary>
    public static ReleasePair Resolve(ReleaseContents contents, ReleaseStore store, SaltEnvName saltEnv, string? from, string? to)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(saltEnv);
        var kept = store.Releases(saltEnv);
        ReleaseInfo? newer;
        if (string.IsNullOrEmpty(to))
        {
            newer = kept.FirstOrDefault(r => r.Live);
            if (newer is null)
            {
                return new ReleasePair(null, null, $"{saltEnv} has no live release; name both releases");
            }
        }
        else if ((newer = contents.FindAny(saltEnv, to)) is null)
        {
            return new ReleasePair(null, null, $"release {to} is not a kept release or a pending plan of {saltEnv}");
        }

        if (string.IsNullOrEmpty(from))
        {
            return new ReleasePair(kept.Any(r => r.Id == newer.Id) ? contents.Previous(newer) : kept.FirstOrDefault(r => r.Live), newer, null);
        }

        return contents.FindAny(saltEnv, from) is { } older
            ? new ReleasePair(older, newer, null)
            : new ReleasePair(null, null, $"release {from} is not a kept release or a pending plan of {saltEnv}");
    }
}
