using System.Text;
using Spiro.Core.Names;

namespace Spiro.Core.TopFiles;

/// <summary>
/// The top file for a Jinja spirotop.sls (docs/highstate.md, "Which top file a saltenv gets"; verified on Salt 3006): Salt renders
/// spirotop.sls with the minion's grains and pillar, and only this deployment's section is kept.
/// </summary>
internal static class JinjaTopWrapper
{
    /// <summary>Whether the text uses Jinja and so cannot be compiled ahead of time.</summary>
    public static bool UsesJinja(string text) =>
        text.Contains("{%", StringComparison.Ordinal) || text.Contains("{{", StringComparison.Ordinal) || text.Contains("{#", StringComparison.Ordinal);

    public static string Render(SaltEnvName saltEnv, string spirotopFile) =>
        "{%- load_yaml as spirotop %}{% include " + Quote(spirotopFile) + " %}{% endload -%}\n"
        + Section(saltEnv);

    /// <summary>
    /// The wrapper of a confined project: the minion renders the bundle's spirotop.sls only when it
    /// matches the allowed targets itself (Salt's <c>match.compound</c>, on the minion that renders
    /// the top file: every target of the section would be ANDed with the same expression for the
    /// same minion). The check comes before the include, so the bundle's Jinja never runs on a
    /// minion outside the project and cannot change what the check reads.
    /// </summary>
    public static string RenderConfined(SaltEnvName saltEnv, string spirotopFile, string allowed) =>
        TargetConfinement.Header(allowed) + "\n"
        + "{% set spirotop = {} %}{% if salt['match.compound'](" + Quote(allowed) + ") %}"
        + "{% load_yaml as spirotop %}{% include " + Quote(spirotopFile) + " %}{% endload %}{% endif %}\n"
        + Section(saltEnv);

    private static string Section(SaltEnvName saltEnv) =>
        "{{ {" + Quote(saltEnv.ToString()) + ": spirotop.get(" + Quote(saltEnv.Deployment) + ", {})} | yaml(False) }}\n";

    /// <summary>A Jinja single-quoted string literal. Valid names never need escaping; this keeps any other text inert.</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder("'");
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\'' => builder.Append(@"\'"),
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('\'').ToString();
    }
}
