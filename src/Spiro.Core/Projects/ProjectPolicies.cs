using System.Globalization;
using System.Text.Json;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Projects;

/// <summary>
/// Per-project settings an admin sets, one file each: <c>projects/&lt;project&gt;.json</c>
/// (docs/storage.md). A file, not a table, because the Salt adapter reads it too: it does not
/// serve the top file of a confined project's release compiled without the current confinement.
/// </summary>
public sealed class ProjectPolicies
{
    private const int Format = 1;
    private const long MaxFileBytes = 64 << 10;

    private readonly StoreLayout _layout;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;

    internal ProjectPolicies(StoreLayout layout, AuditLog audit, TimeProvider time)
    {
        _layout = layout;
        _audit = audit;
        _time = time;
    }

    /// <summary>The project's allowed targets, or null when it may target every minion.</summary>
    /// <exception cref="InvalidDataException">The project's file is unreadable: a confined project must not publish unconfined.</exception>
    public string? AllowTargets(string project) => Get(project).AllowTargets;

    /// <summary>The project's settings (all null when nothing was set).</summary>
    public ProjectPolicy Get(string project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var path = _layout.ProjectFile(project);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new ProjectPolicy(project, null, null, null);
        }

        try
        {
            if (file.Length > MaxFileBytes)
            {
                throw new InvalidDataException($"the settings of project '{project}' are larger than {MaxFileBytes} bytes");
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var allow = root.TryGetProperty("allow_targets", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            var by = root.TryGetProperty("set_by", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            var at = root.TryGetProperty("set_at", out var t) && t.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
            return new ProjectPolicy(project, allow, by, at);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"the settings of project '{project}' are not readable JSON ({e.Message}); set them again with 'spiro project set'", e);
        }
    }

    /// <summary>
    /// Why <paramref name="releaseId"/> must not become live again in <paramref name="saltEnv"/>
    /// by a pointer switch (rollback, plan apply), or null: a confined project's release whose top
    /// file was compiled without the current allowed targets would be live with no top data (the
    /// Salt adapter skips it), which looks like a working rollback and highstates nothing.
    /// </summary>
    public string? RefusePointerSwitch(SaltEnvName saltEnv, string releaseId, string stateTop)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        string? allowed;
        try
        {
            allowed = AllowTargets(saltEnv.Project);
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }

        return allowed is null || TargetConfinement.ReleaseIsConfinedBy(_layout.ReleaseTree(releaseId), stateTop, allowed)
            ? null
            : $"release {releaseId} of {saltEnv} was compiled without the allowed targets '{allowed}' of project '{saltEnv.Project}', so Salt would read no top data from it (rule {TargetConfinement.StaleRule}); deploy again, or promote a release compiled under the confinement";
    }

    /// <summary>Every project that has settings, ordered by name.</summary>
    public IReadOnlyList<ProjectPolicy> List()
    {
        if (!Directory.Exists(_layout.Projects))
        {
            return [];
        }

        return Directory.EnumerateFiles(_layout.Projects, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => SaltEnvName.ExplainInvalidPart("project", name) is null)
            .Order(StringComparer.Ordinal)
            .Select(name => Get(name!))
            .ToList();
    }

    /// <summary>
    /// Sets (or with null clears) the project's allowed targets and audits it. Returns why it was
    /// refused, or null. Top files published before keep their targets; Salt stops reading them
    /// (docs/security.md) until the saltenv is published again.
    /// </summary>
    public string? SetAllowTargets(string project, string? allowTargets, string actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (SaltEnvName.ExplainInvalidPart("project", project) is { } badName)
        {
            return badName;
        }

        if (allowTargets is not null && TargetConfinement.Validate(allowTargets) is { } bad)
        {
            return bad;
        }

        Directory.CreateDirectory(_layout.Projects);
        var path = _layout.ProjectFile(project);
        var temp = path + ".tmp";
        DurableFs.WriteDurably(temp, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteNumber("format", Format);
            json.WriteString("project", project);
            if (allowTargets is null)
            {
                json.WriteNull("allow_targets");
            }
            else
            {
                json.WriteString("allow_targets", allowTargets);
            }

            json.WriteString("set_by", actor);
            json.WriteString("set_at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        });
        DurableFs.Rename(temp, path);
        _audit.Append(actor, "project-set", project, "ok", allowTargets is null ? "allow-targets cleared" : $"allow-targets {allowTargets}");
        return null;
    }
}
