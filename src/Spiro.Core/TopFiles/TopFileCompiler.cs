using Spiro.Core.Names;

namespace Spiro.Core.TopFiles;

/// <summary>Decides and compiles the top file of one saltenv from an extracted bundle tree.</summary>
/// <param name="stateTop">Salt's <c>state_top</c> file name (default <c>top.sls</c>).</param>
public sealed class TopFileCompiler(string stateTop = "top.sls")
{
    /// <summary>The file a bundle may carry to choose its own top data per deployment.</summary>
    public const string SpirotopFileName = "spirotop.sls";

    /// <summary>Largest spirotop.sls read (1 MiB): it is read whole and parsed in memory.</summary>
    public const long MaxSpirotopBytes = 1L << 20;

    /// <summary>Salt's <c>state_top</c> name this compiler keeps or writes.</summary>
    public string StateTop { get; } = NormaliseStateTop(stateTop);

    /// <summary>Reads <paramref name="treeDirectory"/> (does not write it) and returns the top file decision.</summary>
    public TopFileResult Compile(string treeDirectory, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (File.Exists(Path.Combine(treeDirectory, StateTop)))
        {
            return new TopFileResult.Kept(StateTop);
        }

        var spirotop = Path.Combine(treeDirectory, SpirotopFileName);
        if (!File.Exists(spirotop))
        {
            return new TopFileResult.None($"the bundle has neither {StateTop} nor {SpirotopFileName}");
        }

        // A bundle file may be up to BundleLimits.MaxFileBytes; top data is never near this.
        var length = new FileInfo(spirotop).Length;
        if (length > MaxSpirotopBytes)
        {
            return new TopFileResult.Invalid(SpirotopFileName, 1, 1, $"{SpirotopFileName} is {length} bytes, more than the 1 MiB limit");
        }

        return CompileSpirotop(File.ReadAllText(spirotop), SpirotopFileName, saltEnv);
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
            return new TopFileResult.Generated(StateTop, JinjaTopWrapper.Render(saltEnv, fileName), FromJinja: true);
        }

        var (spirotop, error) = new SpirotopParser(fileName).Parse(yaml);
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

        return new TopFileResult.Generated(StateTop, TopFileWriter.Write(saltEnv.ToString(), section), FromJinja: false);
    }

    // Salt accepts state_top as 'salt://top.sls' as well as 'top.sls'.
    private static string NormaliseStateTop(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.StartsWith("salt://", StringComparison.Ordinal) ? name["salt://".Length..] : name;
    }
}
