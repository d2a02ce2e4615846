using System.Text.Json;

namespace Spiro.Testing.Salt;

/// <summary>What a running lab writes to <c>saltlab.json</c> so that a later process can find and stop it.</summary>
internal sealed record SaltLabState(string Root, int PublishPort, int RetPort, int SpiroPort, string Salt, Dictionary<string, int> Pids)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static SaltLabState? Read(string file) =>
        File.Exists(file) ? JsonSerializer.Deserialize<SaltLabState>(File.ReadAllText(file), Json) : null;

    public void Write(string file)
    {
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(file + ".tmp", file, overwrite: true);
        // The watchdog reads plain pids, one a line.
        File.WriteAllLines(Path.Combine(Path.GetDirectoryName(file)!, "pids"), Pids.Values.Select(pid => pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
