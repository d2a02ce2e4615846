using System.CommandLine;
using System.Text.Json;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Salt;

namespace Spiro.Cli.TopFiles;

/// <summary>
/// <c>spiro top check P/D</c>: renders the live top file of a saltenv on every minion, the same
/// check the render gate makes before a release with a Jinja top goes live (docs/security.md).
/// </summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var saltEnv = new Argument<string>("saltenv") { Description = "PROJECT/DEPLOYMENT" };
        var data = StoreOptionsOption();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var saltCommand = new Option<string?>("--salt-command") { Description = "The salt executable (default: salt on PATH)." };
        var saltConfigDir = new Option<string?>("--salt-config-dir") { Description = "Salt's config directory (salt -c)." };
        var check = new Command("check", "Render a saltenv's live top file on every minion; exit 1 if any minion fails to render it.")
        {
            saltEnv, data, json, saltCommand, saltConfigDir,
        };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var name = SaltEnvName.TryParse(parse.GetValue(saltEnv), out var problem);
            var salt = new SaltOptions { Command = parse.GetValue(saltCommand) ?? SaltOptions.DefaultCommand, ConfigDirectory = parse.GetValue(saltConfigDir) };
            problem ??= salt.Validate();
            var directory = parse.GetValue(data) ?? (Environment.GetEnvironmentVariable("SPIRO_DATA") is { Length: > 0 } env ? env : StoreOptions.DefaultDataDirectory);
            var live = name is null ? null : LiveRelease(directory, name);
            problem ??= live is null ? $"{name} has no live release in {directory}" : null;
            if (problem is not null)
            {
                await error.WriteLineAsync($"spiro top check: {problem}");
                return ExitCodes.Usage;
            }

            var report = await new TopRender(new SaltCliClient(salt)).RenderAsync(name!.ToString(), name, cancellationToken);
            if (parse.GetValue(json) || report.Failure is null)
            {
                await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(json) ? Json(name, live!, report) : Text(name, live!, report));
            }

            if (report.Failure is not null)
            {
                await error.WriteLineAsync($"spiro top check: {report.Failure}");
                return ExitCodes.Failure;
            }

            return report.Errors.Count > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
        });
        return new Command("top", "Top files of published saltenvs.") { check };
    }

    private static Option<string?> StoreOptionsOption() =>
        new("--data") { Description = $"Data directory (env SPIRO_DATA; default {StoreOptions.DefaultDataDirectory})." };

    // The symlink alone says what is live (docs/storage.md); no database or lock is needed.
    private static string? LiveRelease(string data, SaltEnvName name)
    {
        var link = new FileInfo(Path.Combine(data, "envs", name.Project, name.Deployment));
        return link.LinkTarget is { } target ? Path.GetFileName(target) : null;
    }

    private static string Text(SaltEnvName name, string live, TopRenderReport report)
    {
        var text = new System.Text.StringBuilder($"top file of {name} (release {live}): ");
        text.Append(report.Errors.Count == 0 ? $"renders on all {report.Answered.Count} minions\n" : $"fails to render on {report.Errors.Count} of {report.Answered.Count} minions\n");
        foreach (var minion in report.Answered)
        {
            text.Append("  ").Append(minion).Append(": ").Append(report.Errors.TryGetValue(minion, out var failed) ? "FAILED " + TopRender.OneLine(failed) : "ok").Append('\n');
        }

        return text.ToString();
    }

    private static string Json(SaltEnvName name, string live, TopRenderReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("saltenv", name.ToString());
            writer.WriteString("release", live);
            writer.WriteBoolean("ok", report.Errors.Count == 0 && report.Failure is null);
            writer.WriteStartArray("minions");
            foreach (var minion in report.Answered)
            {
                writer.WriteStartObject();
                writer.WriteString("minion", minion);
                writer.WriteBoolean("rendered", !report.Errors.ContainsKey(minion));
                writer.WriteString("error", report.Errors.GetValueOrDefault(minion));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("failure", report.Failure);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
