namespace Spiro.Core.Tests.Bundles;

/// <summary>Huge generated bundles run alone: they measure process-wide memory and use a lot of I/O.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HugeBundles
{
    public const string Name = "Huge bundles";
}
