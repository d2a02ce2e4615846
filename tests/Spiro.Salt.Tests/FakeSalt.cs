using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Spiro.Salt.Tests;

/// <summary>
/// One test's fake <c>salt</c> (tests/fake-salt/salt) in its own temp directory: a wrapper script that
/// sets the fake's environment and execs it, so parallel tests never share process environment.
/// </summary>
internal sealed class FakeSalt : IDisposable
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public FakeSalt(string scenario = "", double delaySeconds = 0.05)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("spiro-fakesalt-").FullName;
        Set("FAKE_SALT_SCENARIO", scenario);
        Set("FAKE_SALT_DELAY", delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("FAKE_SALT_ARGV_LOG", ArgvLog);
        Set("FAKE_SALT_EXIT_MARKER", ExitMarker);
        Set("FAKE_SALT_PID_FILE", PidFile);
    }

    public static string Script { get; } = FindScript();

    public string Directory { get; }

    public string Command => Path.Combine(Directory, "salt");

    public string ArgvLog => Path.Combine(Directory, "argv.log");

    public string ExitMarker => Path.Combine(Directory, "exited");

    public string PidFile => Path.Combine(Directory, "pid");

    public FakeSalt Set(string name, string value)
    {
        _environment[name] = value;
        var script = new StringBuilder("#!/bin/sh\n");
        foreach (var (key, text) in _environment)
        {
            script.Append("export ").Append(key).Append("='").Append(text.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        script.Append("exec python3 '").Append(Script).Append("' \"$@\"\n");
        File.WriteAllText(Command, script.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return this;
    }

    /// <summary>Every command line the fake was called with, in order.</summary>
    public IReadOnlyList<string[]> Calls() => File.Exists(ArgvLog)
        ? [.. File.ReadAllLines(ArgvLog).Select(line => JsonSerializer.Deserialize<string[]>(line)!)]
        : [];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string FindScript([CallerFilePath] string source = "")
    {
        for (var directory = Path.GetDirectoryName(source); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, "fake-salt", "salt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/fake-salt/salt not found above {source}");
    }
}
