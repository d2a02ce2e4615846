using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Core.Projects;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Projects;

/// <summary>The JSON shape of <c>spiro project show/list --json</c> (docs/cli.md).</summary>
internal static class ProjectJson
{
    public static void Status(Utf8JsonWriter json, ProjectStatus status)
    {
        json.WriteString("project", status.Policy.Project);
        json.WriteString("allow_targets", status.Policy.AllowTargets);
        json.WriteString("set_by", status.Policy.SetBy);
        json.WriteString("set_at", status.Policy.SetAt is { } at ? WireTime.Format(at) : null);
        json.WriteStartArray("saltenvs");
        foreach (var saltEnv in status.SaltEnvs)
        {
            json.WriteStartObject();
            json.WriteString("saltenv", saltEnv.SaltEnv.ToString());
            json.WriteString("live_release", saltEnv.LiveRelease);
            json.WriteBoolean("top_read", saltEnv.TopRead);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
