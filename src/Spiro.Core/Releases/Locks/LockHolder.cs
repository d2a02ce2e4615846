using System.Globalization;

namespace Spiro.Core.Releases.Locks;

/// <summary>Who holds a saltenv lock, written next to the lock file so a waiter can name the holder.</summary>
internal sealed record LockHolder(int Pid, string Command, string Actor, DateTimeOffset Since)
{
    public static LockHolder Current(string actor, DateTimeOffset now)
    {
        var args = Environment.GetCommandLineArgs();
        var command = string.Join(' ', new[] { Path.GetFileName(Environment.ProcessPath ?? args[0]) }.Concat(args.Skip(1).Take(1)));
        return new LockHolder(Environment.ProcessId, command, actor, now);
    }

    public string Serialise() => string.Create(CultureInfo.InvariantCulture, $"pid={Pid}\ncommand={OneLine(Command)}\nactor={OneLine(Actor)}\nsince={Since:O}\n");

    public static LockHolder? Parse(string text)
    {
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        return fields.TryGetValue("pid", out var pid) && int.TryParse(pid, CultureInfo.InvariantCulture, out var number)
            ? new LockHolder(
                number,
                fields.GetValueOrDefault("command", "?"),
                fields.GetValueOrDefault("actor", "?"),
                DateTimeOffset.TryParse(fields.GetValueOrDefault("since"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) ? since : default)
            : null;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"pid {Pid} ({Command}, {Actor}, since {Since:yyyy-MM-dd HH:mm:ss}Z)");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
