using Spiro.Core.Names;

namespace Spiro.Core.TopFiles;

/// <summary>Decides and compiles the top file of one saltenv from an extracted bundle tree.</summary>
/// <param name="stateTop">Salt's <c>state_top</c> file name (default <c>top.sls</c>).</param>
public sealed class TopFileCompiler(string stateTop = "top.sls")
{
    /// <summary>Salt's <c>state_top</c> name this compiler keeps or writes.</summary>
    public string StateTop { get; } = stateTop;

    /// <summary>Reads <paramref name="treeDirectory"/> (does not write it) and returns the top file decision.</summary>
    public TopFileResult Compile(string treeDirectory, SaltEnvName saltEnv)
    {
        // TODO(#2): replaced by the compiler in the foundation work.
        throw new NotImplementedException();
    }
}
