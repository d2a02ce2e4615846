using Spiro.Core.Highstate;

namespace Spiro.Core.Tests.Highstate;

public sealed class SaltJsonSplitterTests
{
    [Fact]
    public void Push_OneDocumentPerLine_GivesEachDocumentAtOnce()
    {
        var splitter = new SaltJsonSplitter();

        var first = splitter.Push("""{"m1": {"a": 1}}""");
        var second = splitter.Push("""{"m2": "x"}""");

        Assert.Equal("""{"m1":{"a":1}}""", Assert.IsType<SaltJsonLine.Document>(first).Value.ToJsonString());
        Assert.Equal("""{"m2":"x"}""", Assert.IsType<SaltJsonLine.Document>(second).Value.ToJsonString());
    }

    [Fact]
    public void Push_IndentedDocument_IsPendingUntilItsLastLine()
    {
        var splitter = new SaltJsonSplitter();

        var results = new[] { "{", "    \"m1\": {", "        \"base\": [\"hello\"]", "    }", "}" }.Select(splitter.Push).ToList();

        Assert.All(results.Take(4), result => Assert.IsType<SaltJsonLine.Pending>(result));
        Assert.Equal("""{"m1":{"base":["hello"]}}""", Assert.IsType<SaltJsonLine.Document>(results[4]).Value.ToJsonString());
    }

    [Theory]
    [InlineData("Executing run on ['m1']")]
    [InlineData("3006.0")]
    [InlineData("[\"a\"]")]
    [InlineData("{\"m1\": 1}} trailing")]
    [InlineData("{not json")]
    public void Push_NonDocumentLine_IsSkippedAndDoesNotSpoilTheNext(string line)
    {
        var splitter = new SaltJsonSplitter();

        var skipped = splitter.Push(line);
        var next = splitter.Push("""{"m1": true}""");

        Assert.Equal(line, Assert.IsType<SaltJsonLine.Skipped>(skipped).Text);
        Assert.IsType<SaltJsonLine.Document>(next);
    }

    [Fact]
    public void Finish_WithUnfinishedDocument_HandsItBackAsSkipped()
    {
        var splitter = new SaltJsonSplitter();
        splitter.Push("""{"m1": {"a": """);

        Assert.Equal("""{"m1": {"a": """, Assert.IsType<SaltJsonLine.Skipped>(splitter.Finish()).Text);
        Assert.Null(splitter.Finish());
    }
}
