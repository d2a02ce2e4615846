namespace Spiro.RealSalt.Tests.Scale;

/// <summary>
/// Saltenvs <c>mix/&lt;type&gt;</c>, one per target type Salt's top files support, whose spirotops
/// match m1, m2, both or neither. Every state named exists, with an id naming its saltenv, so a
/// plain highstate can run them all.
/// </summary>
internal static class TargetMix
{
    /// <summary>Minion pillar (pillar_roots of the lab): m1 is gold, m2 silver.</summary>
    public static readonly IReadOnlyDictionary<string, string> Pillar = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["top.sls"] = "base:\n  m1:\n    - gold\n  m2:\n    - silver\n",
        ["gold.sls"] = "tier: gold\n",
        ["silver.sls"] = "tier: silver\n",
    };

    /// <summary>Master nodegroups the mix uses.</summary>
    public const string Nodegroups = "nodegroups:\n  webs: 'L@m1'\n  dbs: 'G@roles:db'\n";

    /// <summary>deployment -> spirotop section (YAML lines under the deployment key); the lab's minions have grains roles [web]/[db], lab_index 1/2.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sections = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["glob"] = "  'm*':\n    - glob_all\n  m1:\n    - glob_m1\n  'x*':\n    - glob_none\n",
        ["list"] = "  'm2,zz':\n    - match: list\n    - list_m2\n",
        ["pcre"] = "  '^m[0-9]$':\n    - match: pcre\n    - pcre_all\n  '^m1$':\n    - match: pcre\n    - pcre_m1\n",
        ["grain"] = "  'roles:web':\n    - match: grain\n    - grain_web\n",
        ["grainpcre"] = "  'roles:d.*':\n    - match: grain_pcre\n    - grain_pcre_db\n",
        ["pillar"] = "  'tier:gold':\n    - match: pillar\n    - pillar_gold\n",
        ["compound"] = "  'G@roles:db or L@m1':\n    - compound_both\n  '( m* ) and ( G@roles:web )':\n    - compound_confined\n"
            + "  'm* and not G@lab_index:1':\n    - compound_not1\n  'I@tier:silver':\n    - compound_pillar\n  'N@webs':\n    - compound_nodegroup\n",
        ["nodegroup"] = "  dbs:\n    - match: nodegroup\n    - nodegroup_dbs\n",
        ["ipcidr"] = "  '127.0.0.0/8':\n    - match: ipcidr\n    - ipcidr_loopback\n  '10.255.255.0/24':\n    - match: ipcidr\n    - ipcidr_none\n",
    };

    /// <summary>A Jinja spirotop (one saltenv, <c>mix/jinja</c>): grains, pillar and salt['grains.get'] decide.</summary>
    public const string JinjaSpirotop = """
        jinja:
        {%- if 'web' in grains['roles'] %}
          m1:
            - jinja_web
        {%- else %}
          '{{ grains["id"] }}':
            - jinja_{{ grains['lab_index'] }}
        {%- endif %}
          'I@tier:{{ pillar.get("tier", "none") }}':
            - jinja_pillar
          '{{ salt["grains.get"]("id") }}*':
            - jinja_salt
        """;

    /// <summary>Every state name the Jinja spirotop can produce.</summary>
    public static readonly IReadOnlyList<string> JinjaStates = ["jinja_web", "jinja_1", "jinja_2", "jinja_pillar", "jinja_salt"];

    /// <summary>The bundle files of <c>mix/&lt;deployment&gt;</c>: its spirotop and one sls per state.</summary>
    public static Dictionary<string, string> Bundle(string deployment)
    {
        var jinja = deployment == "jinja";
        var spirotop = jinja ? JinjaSpirotop : $"{deployment}:\n{Sections[deployment]}";
        var states = jinja ? JinjaStates : StatesOf(Sections[deployment]);
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { ["spirotop.sls"] = spirotop };
        foreach (var state in states)
        {
            files[state + ".sls"] = $"{StateId("mix/" + deployment, state)}:\n  test.succeed_without_changes: []\n";
        }

        return files;
    }

    /// <summary>The state id a mix state runs: saltenv and state name, unique across saltenvs.</summary>
    public static string StateId(string saltEnv, string state) => saltEnv.Replace('/', '-') + "-" + state;

    private static List<string> StatesOf(string section) =>
        section.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("- ", StringComparison.Ordinal) && !line.StartsWith("- match:", StringComparison.Ordinal))
            .Select(line => line[2..]).ToList();
}
