namespace Spiro.Core.TopFiles;

/// <summary>What top file a saltenv gets from a bundle (docs/highstate.md, "Which top file a saltenv gets").</summary>
public abstract record TopFileResult
{
    private TopFileResult()
    {
    }

    /// <summary>The bundle has its own top file (Salt's <c>state_top</c>), holding only its saltenv's section; it is used as is.</summary>
    public sealed record Kept(string FileName) : TopFileResult
    {
        /// <summary>The kept file uses Jinja: only rendering it on the minions can check it.</summary>
        public bool FromJinja { get; init; }
    }

    /// <summary>Compiled from spirotop.sls (plain YAML, or the Jinja wrapper); write <paramref name="Content"/> as the top file.</summary>
    public sealed record Generated(string FileName, string Content, bool FromJinja) : TopFileResult;

    /// <summary>No top file: no spirotop.sls, or it has no section for this deployment.</summary>
    public sealed record None(string Reason) : TopFileResult;

    /// <summary>spirotop.sls is malformed; the deploy must fail before anything goes live.</summary>
    public sealed record Invalid(string File, int Line, int Column, string Message) : TopFileResult;
}
