using System.Text;
using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Fuzz;

/// <summary>Fuzzes the spirotop.sls compiler and the kept top file check.</summary>
internal static class YamlFuzz
{
    private static readonly string[] Seeds =
    [
        "dev:\n  'web*':\n    - server\n    - match: glob\nprod: {db: [postgres]}\n",
        "dev: {'*': &s [a, b]}\nprod: {'*': *s, 'x': [!!str 1, 'yes']}\n",
        "'foo/dev':\n  'G@os:Debian':\n    - match: compound\n    - core\n",
        "dev:\n  - [a, {b: c}]\n  ? complex\n  : value\n--- \nsecond: doc\n",
        "dev: |\n  block\n  text\nprod: >-\n  folded\n%YAML 1.1\n",
    ];

    private static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("[]{}&*:-,'\"\n !|>#%@`?~\t\\ab1");

    public static int Run(Random random, int runs)
    {
        var compiler = new TopFileCompiler();
        var saltEnv = new SaltEnvName("foo", "dev");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var run = 0; run < runs; run++)
        {
            var seed = Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]);
            var text = Encoding.UTF8.GetString(Mutator.Mutate(random, seed, Alphabet));
            try
            {
                var spirotop = compiler.CompileSpirotop(text, "spirotop.sls", saltEnv);
                var kept = compiler.CheckKept(text, saltEnv);
                Count(outcomes, spirotop.GetType().Name + "/" + kept.GetType().Name);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"run {run}: {e}\ninput ({text.Length} chars): {text[..Math.Min(text.Length, 300)]}");
                return 1;
            }
        }

        Console.WriteLine(string.Join(" ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));
        return 0;
    }

    internal static void Count(Dictionary<string, int> outcomes, string key) =>
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
}
