namespace Spiro.Server.Options;

/// <summary>
/// One scalar setting of <c>spiro serve</c>, spelled the same way in all three places it can be given:
/// the config-file key (<c>max_body_size</c>), the flag (<c>--max-body-size</c>) and the environment
/// variable (<c>SPIRO_MAX_BODY_SIZE</c>).
/// </summary>
/// <param name="Key">The snake_case config-file key; every error about the setting starts with it.</param>
/// <param name="Expected">What a valid value is, for the error (<c>a size (e.g. 2G)</c>).</param>
/// <param name="Description">One line for <c>spiro serve --help</c>.</param>
/// <param name="Apply">Sets the value on the options; null when the text is not a valid value.</param>
public sealed record ServerSetting(string Key, string Expected, string Description, Func<ServerOptions, string, ServerOptions?> Apply)
{
    /// <summary>The command-line flag: the key with dashes.</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The environment variable: <c>SPIRO_</c> and the key in capitals.</summary>
    public string Variable => "SPIRO_" + Key.ToUpperInvariant();

    /// <summary>
    /// The options with <paramref name="value"/> applied; unchanged after adding an error that names the key
    /// and <paramref name="source"/> (<c>in 'serve.yaml'</c>, <c>flag --port</c>) when the value is not valid.
    /// </summary>
    public ServerOptions ApplyOrExplain(ServerOptions options, string value, string source, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Apply(options, value) is { } applied)
        {
            return applied;
        }

        errors.Add($"{Key}: '{value}' is not {Expected} ({source})");
        return options;
    }
}
