using Spiro.Core.Names;
using Spiro.Core.Yaml;

namespace Spiro.Core.TopFiles;

/// <summary>Decides and compiles the top file of one saltenv from an extracted bundle tree.</summary>
/// <param name="stateTop">Salt's <c>state_top</c> file name (default <c>top.sls</c>).</param>
/// <param name="limits">YAML bounds for spirotop.sls and a kept top file (default <see cref="YamlLimits.Default"/>).</param>
public sealed class TopFileCompiler(string stateTop = "top.sls", YamlLimits? limits = null)
{
    /// <summary>The file a bundle may carry to choose its own top data per deployment.</summary>
    public const string SpirotopFileName = "spirotop.sls";

    /// <summary>Largest spirotop.sls or kept top file read (1 MiB): it is read whole and parsed in memory.</summary>
    public const long MaxSpirotopBytes = 1L << 20;

    /// <summary>Largest generated top file (4 MiB): Salt reads it on every minion's highstate.</summary>
    public const int MaxTopBytes = 4 << 20;

    private readonly YamlLimits _limits = limits ?? YamlLimits.Default;

    /// <summary>
    /// The project's allowed targets (a compound expression, <see cref="TargetConfinement"/>), or
    /// null when the project may target every minion. A kept top file is then refused.
    /// </summary>
    public string? AllowTargets { get; init; }

    /// <summary>Salt's <c>state_top</c> name this compiler keeps or writes.</summary>
    public string StateTop { get; } = NormaliseStateTop(stateTop);

    /// <summary>Reads <paramref name="treeDirectory"/> (does not write it) and returns the top file decision.</summary>
    public TopFileResult Compile(string treeDirectory, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        var kept = Path.Combine(treeDirectory, StateTop);
        if (File.Exists(kept))
        {
            return ReadLimited(kept, StateTop, out var text) ?? CheckKept(text, saltEnv);
        }

        var spirotop = Path.Combine(treeDirectory, SpirotopFileName);
        if (!File.Exists(spirotop))
        {
            return new TopFileResult.None($"the bundle has neither {StateTop} nor {SpirotopFileName}");
        }

        return ReadLimited(spirotop, SpirotopFileName, out var yaml) ?? CompileSpirotop(yaml, SpirotopFileName, saltEnv);
    }

    /// <summary>
    /// Compiles spirotop text for one saltenv: the Jinja wrapper when it uses Jinja, else only the
    /// deployment's section under the saltenv key. Pure: no file access.
    /// </summary>
    public TopFileResult CompileSpirotop(string yaml, string fileName, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (JinjaTopWrapper.UsesJinja(yaml))
        {
            var wrapper = AllowTargets is null ? JinjaTopWrapper.Render(saltEnv, fileName) : JinjaTopWrapper.RenderConfined(saltEnv, fileName, AllowTargets);
            return new TopFileResult.Generated(StateTop, wrapper, FromJinja: true);
        }

        var (spirotop, error) = new SpirotopParser(fileName, _limits).Parse(yaml);
        if (error is not null)
        {
            return error;
        }

        var section = spirotop!.Find(saltEnv.Deployment);
        if (section is null)
        {
            return new TopFileResult.None($"{fileName} has no section for deployment '{saltEnv.Deployment}'");
        }

        // An explicit empty section ('dev: {}') means "no targets": no top file rather than one that matches nothing.
        if (section.Targets.Count == 0)
        {
            return new TopFileResult.None($"section '{saltEnv.Deployment}' of {fileName} has no targets");
        }

        if (AllowTargets is not null)
        {
            var (confined, invalid) = Confine(section, fileName);
            if (invalid is not null)
            {
                return invalid;
            }

            section = confined!;
        }

        var content = TopFileWriter.Write(saltEnv.ToString(), section, AllowTargets is null ? null : TargetConfinement.Header(AllowTargets));
        return content.Length > MaxTopBytes
            ? new TopFileResult.Invalid(fileName, 1, 1, $"the generated {StateTop} would be {content.Length} characters, more than the {MaxTopBytes >> 20} MiB limit (rule {YamlRules.TopTooLarge})")
            : new TopFileResult.Generated(StateTop, content, FromJinja: false);
    }

    /// <summary>
    /// A bundle's own top file may only speak for its own saltenv: Salt merges every saltenv's top
    /// data, so a 'base:' (or another project's) section would reach minions this deploy has no
    /// business with, and a malformed one breaks every highstate. Plain YAML is checked here; a
    /// Jinja one can only be checked by rendering it on the minions (the render gate).
    /// </summary>
    public TopFileResult CheckKept(string text, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (AllowTargets is not null)
        {
            // Salt reads a bundle's own top file as written: nothing could keep its targets inside the project.
            return new TopFileResult.Invalid(StateTop, 1, 1, $"project '{saltEnv.Project}' is confined to the targets '{AllowTargets}', so its bundles cannot bring their own {StateTop}; write {SpirotopFileName} instead (rule {TargetConfinement.KeptRule})");
        }

        if (JinjaTopWrapper.UsesJinja(text))
        {
            return new TopFileResult.Kept(StateTop) { FromJinja = true };
        }

        var (top, error) = new SpirotopParser(StateTop, _limits).Parse(text);
        if (error is not null)
        {
            return error;
        }

        var own = saltEnv.ToString();
        var foreign = top!.Sections.FirstOrDefault(section => !string.Equals(section.Deployment, own, StringComparison.Ordinal));
        return foreign is null
            ? new TopFileResult.Kept(StateTop)
            : new TopFileResult.Invalid(StateTop, 1, 1, $"{StateTop} may only hold the section of its own saltenv '{own}'; it has a section '{foreign.Deployment}' (rule top-foreign-saltenv)");
    }

    private (SpirotopSection? Section, TopFileResult.Invalid? Error) Confine(SpirotopSection section, string fileName)
    {
        var targets = new List<TopTarget>();
        foreach (var target in section.Targets)
        {
            var (confined, error) = TargetConfinement.Confine(target, AllowTargets!);
            if (error is not null)
            {
                return (null, new TopFileResult.Invalid(fileName, 1, 1, error));
            }

            // Two targets may meet in one key ('web*' as a glob and as a compound): Salt would keep only one.
            if (targets.Any(t => t.Target.Text == confined!.Target.Text))
            {
                return (null, new TopFileResult.Invalid(fileName, 1, 1, $"target '{target.Target.Text}' of section '{section.Deployment}' means the same as an earlier target once confined to the project's allowed targets; merge them (rule {TargetConfinement.UnconfinableRule})"));
            }

            targets.Add(confined!);
        }

        return (section with { Targets = targets }, null);
    }

    private static TopFileResult.Invalid? ReadLimited(string path, string fileName, out string text)
    {
        // A bundle file may be up to BundleLimits.MaxFileBytes; top data is never near this.
        var length = new FileInfo(path).Length;
        if (length > MaxSpirotopBytes)
        {
            text = "";
            return new TopFileResult.Invalid(fileName, 1, 1, $"{fileName} is {length} bytes, more than the 1 MiB limit");
        }

        text = File.ReadAllText(path);
        return null;
    }

    // Salt accepts state_top as 'salt://top.sls' as well as 'top.sls'.
    private static string NormaliseStateTop(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.StartsWith("salt://", StringComparison.Ordinal) ? name["salt://".Length..] : name;
    }
}
