namespace Spiro.Bench;

/// <summary>One benchmark scenario, run as <c>spiro-bench NAME [flags]</c>.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(BenchArgs args);
}
