using System.Text.Json.Nodes;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Plans;

/// <summary>What the plan tests share: the project, reading <c>spiro-deploy --json</c> lines, the minions' view.</summary>
internal static class PlanTestSupport
{
    /// <summary>A project whose state writes <c>plan.txt</c> from <c>salt://app/plan.txt</c> on the minions <paramref name="target"/> selects.</summary>
    public static void Write(TempProject project, string name, string target, string content)
    {
        project.Write("_salt/spirotop.sls", $"dev:\n  '{target}':\n    - app\n");
        project.Write("_salt/app/init.sls", StateFiles.Managed(name, "plan.txt", "app/plan.txt"));
        project.Write("_salt/app/plan.txt", content);
    }

    /// <summary>The <c>--json</c> lines of one event.</summary>
    public static List<JsonObject> Events(CommandResult result, string name) =>
        [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line) as JsonObject)
            .OfType<JsonObject>()
            .Where(line => line["event"]?.GetValue<string>() == name)];

    /// <summary>Each minion's top data as one string, in minion order.</summary>
    public static async Task<string> TopsAsync(SaltLab lab)
    {
        var tops = await lab.SaltJsonAsync("*", "state.show_top");
        return string.Join("\n", SaltLabLayout.MinionIds.Select(id => $"{id}: {tops[id]?.ToJsonString()}"));
    }

    public static string? Read(SaltLab lab, string minion, string name)
    {
        var path = StateFiles.OnMinion(lab, minion, name, "plan.txt");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
