namespace Spiro.Protocol.Bundles;

/// <summary>What goes into a bundle built from a project checkout, exactly as spiro-deploy builds it.</summary>
/// <param name="ProjectDirectory">The repository root.</param>
/// <param name="SaltDirectory">Directory whose content becomes the bundle root (default <c>_salt</c>, relative to the project).</param>
/// <param name="Artifacts">Files or directories stored under <c>_artifacts/&lt;path&gt;</c>.</param>
/// <param name="IncludeSource">null, <c>git</c> or <c>fs</c>: source stored under <c>_source/</c>.</param>
/// <param name="GitCommit">Content of <c>.gitcommit</c>, or null to leave it out.</param>
public sealed record BundleSpec(
    string ProjectDirectory,
    string SaltDirectory,
    IReadOnlyList<string> Artifacts,
    string? IncludeSource,
    string? GitCommit);
