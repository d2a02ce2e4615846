namespace Spiro.Core.Yaml;

/// <summary>Why a YAML document was refused before loading: a rule id from <see cref="YamlRules"/>, a 1-based position and a message ending with the rule.</summary>
public sealed record YamlViolation(string Rule, int Line, int Column, string Message);
