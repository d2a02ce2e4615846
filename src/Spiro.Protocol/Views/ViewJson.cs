using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>
/// Source-generated (AOT-safe) JSON of every view. The names are on the records, so the CLI's
/// indented output and the API's compact one differ only in whitespace. Lists are arrays: an
/// interface type would make ASP.NET look up the runtime type, which is not registered here.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReleaseView))]
[JsonSerializable(typeof(ReleaseView[]))]
[JsonSerializable(typeof(SaltEnvView))]
[JsonSerializable(typeof(SaltEnvView[]))]
[JsonSerializable(typeof(ProjectView[]))]
[JsonSerializable(typeof(DeployView))]
[JsonSerializable(typeof(DeployView[]))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(TokenView[]))]
[JsonSerializable(typeof(HistoryView[]))]
[JsonSerializable(typeof(RollbackView))]
[JsonSerializable(typeof(PromoteView))]
[JsonSerializable(typeof(DeleteView))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(InfoView))]
public sealed partial class ViewJson : JsonSerializerContext
{
    // Built on first use: a static field here could be initialised before the generated Default.
    private static JsonSerializerOptions? _compact;
    private static JsonSerializerOptions? _indented;

    /// <summary>The API's options: compact, non-ASCII as is.</summary>
    public static JsonSerializerOptions Compact => _compact ??= new JsonSerializerOptions
    {
        TypeInfoResolver = Default,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The CLI's options: indented, non-ASCII as is.</summary>
    public static JsonSerializerOptions Indented => _indented ??= new JsonSerializerOptions(Compact) { WriteIndented = true };

    /// <summary>A view as the CLI prints it.</summary>
    public static string ToIndented<T>(T view) => JsonSerializer.Serialize(view, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T)));
}
