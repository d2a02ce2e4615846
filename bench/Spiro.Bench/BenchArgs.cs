using System.Globalization;

namespace Spiro.Bench;

/// <summary>Flags as <c>--name value</c> pairs (and bare <c>--flag</c> switches), nothing fancier.</summary>
internal sealed class BenchArgs(string[] args)
{
    public string? Get(string name)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public long GetLong(string name, long fallback) => Get(name) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public bool Has(string name) => Array.IndexOf(args, "--" + name) >= 0;
}
