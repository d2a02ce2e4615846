namespace Spiro.Dashboard.Tests.Support;

/// <summary>Small repositories with a <c>_salt/</c> directory for spiro-deploy to bundle.</summary>
internal static class Repositories
{
    /// <summary>Writes <paramref name="files"/> (paths under _salt/) into <paramref name="directory"/>, replacing what was there.</summary>
    public static string Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        foreach (var (path, text) in files)
        {
            var full = Path.Combine(directory, "_salt", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return directory;
    }

    public static Dictionary<string, string> States(string deployment, string state, string body) => new()
    {
        ["spirotop.sls"] = $"{deployment}:\n  '*':\n    - {state}\n",
        [$"{state}/init.sls"] = body,
    };
}
