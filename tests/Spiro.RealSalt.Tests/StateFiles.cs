using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests;

/// <summary>
/// States whose effect a test can read back: each writes under the minion's own cachedir (the lab's
/// minions share one filesystem), in <c>spiro-tests/&lt;project&gt;/</c>.
/// </summary>
internal static class StateFiles
{
    /// <summary>A file.managed state writing <paramref name="name"/> from <c>salt://<paramref name="source"/></c>.</summary>
    public static string Managed(string project, string name, string source, string extra = "") => $$$"""
        {{{project}}}-{{{name}}}:
          file.managed:
            - name: {{ opts['cachedir'] }}/spiro-tests/{{{project}}}/{{{name}}}
            - source: salt://{{{source}}}
            - makedirs: True
        {{{extra}}}
        """;

    /// <summary>Where <see cref="Managed"/> puts the file on <paramref name="minion"/>.</summary>
    public static string OnMinion(SaltLab lab, string minion, string project, string name) =>
        Path.Combine(lab.Layout.MinionConfigDir(minion), "cache", "spiro-tests", project, name);
}
