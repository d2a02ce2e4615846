namespace Spiro.Package.Tests;

/// <summary>The package tests take turns: each installs and removes the one spirofs package of the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneInstallAtATime
{
    public const string Name = "package";
}
