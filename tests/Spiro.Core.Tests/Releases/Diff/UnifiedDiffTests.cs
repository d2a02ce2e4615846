using System.Diagnostics;
using Spiro.Core.Releases.Diff;

namespace Spiro.Core.Tests.Releases.Diff;

public sealed class UnifiedDiffTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "a\nb\nc\n", "a\nB\nc\n" },
        { "", "new\nfile\n" },
        { "gone\n", "" },
        { string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n")), string.Concat(Enumerable.Range(1, 40).Select(i => i is 3 or 20 or 21 ? $"changed {i}\n" : $"line {i}\n")) + "tail\n" },
        { "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n", "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\n" },
    };

    [Fact]
    public void Create_OfEqualTexts_IsEmpty() => Assert.Equal("", UnifiedDiff.Create("same\n", "same\n", "a", "b"));

    [Fact]
    public void Create_WritesHeadersHunksAndMarks()
    {
        Assert.Equal("--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", UnifiedDiff.Create("a\nb\nc\n", "a\nB\nc\n", "old", "new"));
    }

    /// <summary>Hunks must be exactly what GNU <c>diff -u</c> prints for the same two files (headers aside).</summary>
    [Theory]
    [MemberData(nameof(Pairs))]
    public void Create_HunksMatchGnuDiff(string before, string after)
    {
        var directory = Directory.CreateTempSubdirectory("spiro-diff-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "old"), before);
            File.WriteAllText(Path.Combine(directory, "new"), after);
            var info = new ProcessStartInfo("diff", ["-u", "old", "new"]) { WorkingDirectory = directory, RedirectStandardOutput = true };
            using var process = Process.Start(info)!;
            var gnu = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            static string Hunks(string diff) => string.Join('\n', diff.Split('\n').SkipWhile(l => !l.StartsWith("@@", StringComparison.Ordinal)));
            Assert.Equal(Hunks(gnu), Hunks(UnifiedDiff.Create(before, after, "old", "new")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
