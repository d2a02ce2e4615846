using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spiro.Cli.Doctor;

/// <summary>
/// The salt-master configuration as Salt 3006 assembles it (salt/config/__init__.py,
/// <c>master_config</c>): DIR/master, then every file of <c>default_include</c> (default
/// <c>master.d/*.conf</c>, sorted) and of <c>include</c>, merged among themselves with lists
/// joined, and then laid over the main file key by key, so a key set in an included file
/// replaces the main file's value rather than merging with it.
/// Values are <see cref="Dictionary{TKey,TValue}"/>, <see cref="List{T}"/> or string scalars.
/// </summary>
internal sealed class SaltMasterConfig
{
    private const int MaxFileBytes = 4 * 1024 * 1024;

    private SaltMasterConfig(string directory, string mainFile)
    {
        Directory = directory;
        MainFile = mainFile;
    }

    /// <summary>The config directory (<c>salt -c</c>).</summary>
    public string Directory { get; }

    /// <summary>DIR/master.</summary>
    public string MainFile { get; }

    /// <summary>Every file read, main file first.</summary>
    public List<string> Files { get; } = [];

    /// <summary>Files that could not be read or parsed, each with the reason.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The main file's own options, before the included files were laid over them.</summary>
    public Dictionary<string, object?> MainOptions { get; private set; } = [];

    /// <summary>The merged options.</summary>
    public Dictionary<string, object?> Options { get; } = [];

    /// <summary>The files that set each top-level key, in reading order.</summary>
    public Dictionary<string, List<string>> Sources { get; } = [];

    /// <summary>Keys of the main file whose value an included file replaced.</summary>
    public HashSet<string> Replaced { get; } = [];

    public static SaltMasterConfig Load(string directory)
    {
        var config = new SaltMasterConfig(Path.GetFullPath(directory), Path.Combine(Path.GetFullPath(directory), "master"));
        var main = config.Read(config.MainFile) ?? [];
        config.MainOptions = main;
        foreach (var (key, value) in main)
        {
            config.Options[key] = value;
        }

        var included = new Dictionary<string, object?>();
        var patterns = Strings(main.GetValueOrDefault("default_include") ?? "master.d/*.conf")
            .Concat(Strings(main.GetValueOrDefault("include")));
        foreach (var file in patterns.SelectMany(pattern => Glob(config.Directory, pattern)))
        {
            if (config.Read(file) is { } options)
            {
                Merge(included, options);
            }
        }

        foreach (var (key, value) in included)
        {
            if (main.ContainsKey(key))
            {
                config.Replaced.Add(key);
            }

            config.Options[key] = value;
        }

        return config;
    }

    /// <summary>A top-level scalar option, or <paramref name="fallback"/>.</summary>
    public string? Scalar(string key, string? fallback = null) => Options.GetValueOrDefault(key) as string ?? fallback;

    /// <summary>A top-level option read as a list of strings (a single string is a one-item list).</summary>
    public List<string> List(string key) => Strings(Options.GetValueOrDefault(key)).ToList();

    /// <summary>Like <see cref="List"/>, for the main file alone.</summary>
    public List<string> MainList(string key) => Strings(MainOptions.GetValueOrDefault(key)).ToList();

    /// <summary>"/etc/salt/master.d/spiro.conf" or the like: where <paramref name="key"/> was set.</summary>
    public string Where(string key) => Sources.TryGetValue(key, out var files)
        ? string.Join(", ", Replaced.Contains(key) ? files.Where(file => file != MainFile) : files)
        : "nowhere (Salt's default)";

    private Dictionary<string, object?>? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            if (new FileInfo(file).Length > MaxFileBytes)
            {
                Errors.Add($"{file}: larger than {MaxFileBytes / 1024 / 1024} MiB; not read");
                return null;
            }

            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            Files.Add(file);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return [];
            }

            if (Convert(stream.Documents[0].RootNode) is not Dictionary<string, object?> options)
            {
                Errors.Add($"{file}: not a mapping of options (Salt refuses to start)");
                return null;
            }

            foreach (var key in options.Keys)
            {
                (Sources.TryGetValue(key, out var files) ? files : Sources[key] = []).Add(file);
            }

            return options;
        }
        catch (YamlException e)
        {
            Errors.Add($"{file} line {e.Start.Line}: {e.Message}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Errors.Add($"{file}: {e.Message}");
            return null;
        }
    }

    // salt.utils.dictupdate.update(dest, upd, recursive_update=True, merge_lists=True).
    private static void Merge(Dictionary<string, object?> destination, Dictionary<string, object?> update)
    {
        foreach (var (key, value) in update)
        {
            var existing = destination.GetValueOrDefault(key);
            if (existing is Dictionary<string, object?> map && value is Dictionary<string, object?> updateMap)
            {
                Merge(map, updateMap);
            }
            else if (existing is List<object?> list && value is List<object?> updateList)
            {
                destination[key] = list.Concat(updateList.Where(item => !list.Any(old => SameValue(old, item)))).ToList();
            }
            else
            {
                destination[key] = value;
            }
        }
    }

    private static bool SameValue(object? a, object? b) => a is string || b is string || a is null || b is null ? Equals(a, b) : ReferenceEquals(a, b);

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(pair => (pair.Key as YamlScalarNode)?.Value ?? "", pair => Convert(pair.Value)),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "~" or "null" or "Null" or "NULL" or "" } => null,
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string text => [text],
        List<object?> list => list.OfType<string>(),
        _ => [],
    };

    // Salt's glob.glob for the patterns it documents: wildcards in the file name only.
    private static IEnumerable<string> Glob(string baseDirectory, string pattern)
    {
        var full = Path.Combine(baseDirectory, pattern.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + pattern[1..] : pattern);
        var directory = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(directory, name, new EnumerationOptions { MatchType = MatchType.Simple, MatchCasing = MatchCasing.CaseSensitive })
            .Order(StringComparer.Ordinal);
    }
}
