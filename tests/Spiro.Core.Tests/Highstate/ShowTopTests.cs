using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Core.Names;

namespace Spiro.Core.Tests.Highstate;

public sealed class ShowTopTests
{
    // show_top.stream: `salt '*' state.show_top --out=json --out-indent=-1`, one document per minion per line.
    private static readonly string[] Stream =
    [
        """{"m1": {"base": ["hello"], "foo/bad": ["failing"], "jj/dev": ["somestate"], "foo/prod": ["somestate"]}}""",
        """{"m2": {"base": ["hello"], "jj/dev": ["somestate"]}}""",
    ];

    [Theory]
    [InlineData("foo", "prod", "m1")]
    [InlineData("foo", "bad", "m1")]
    [InlineData("jj", "dev", "m1,m2")]
    [InlineData("foo", "dev", "")]
    public void Parse_StreamingOutput_KeepsMinionsWhoseTopDataListsTheSaltEnv(string project, string deployment, string expected)
    {
        var affected = ShowTop.Parse(Stream, new SaltEnvName(project, deployment));

        Assert.Equal(expected, string.Join(',', affected.Minions));
        Assert.Equal(["m1", "m2"], affected.Answered);
        Assert.Empty(affected.Errors);
    }

    [Fact]
    public void Parse_StaticIndentedOutput_ReadsTheMultiLineDocument()
    {
        var affected = ShowTop.Parse(SaltSamples.StdoutLines("show_top.static"), new SaltEnvName("jj", "dev"));

        Assert.Equal(["m1", "m2"], affected.Minions);
        Assert.Empty(affected.SkippedLines);
    }

    [Fact]
    public void Parse_WithMinionDown_SimplyLacksThatMinion()
    {
        var affected = ShowTop.Parse(SaltSamples.StdoutLines("show_top.m2-down"), new SaltEnvName("foo", "broken"));

        Assert.Equal(["m1"], affected.Minions);
        Assert.Equal(["m1"], affected.Answered);
    }

    [Fact]
    public void Parse_StreamingWithMinionDown_TheDidNotReturnStringIsNotAnAnswerNorAnError()
    {
        // Recorded on real Salt: streaming show_top prints {"m2": "Minion did not return. ..."} after the timeout.
        var affected = ShowTop.Parse(SaltSamples.StdoutLines("show_top.stream.m2-down"), new SaltEnvName("rec", "dev"));

        Assert.Equal(["m1"], affected.Minions);
        Assert.Equal(["m1"], affected.Answered);
        Assert.Empty(affected.Errors);
    }

    [Fact]
    public void Parse_WithTracebackStringForMinion_ReportsItAsAnErrorNotAffected()
    {
        var affected = ShowTop.Parse(SaltSamples.StdoutLines("show_top.malformed-top"), new SaltEnvName("foo", "prod"));

        Assert.Empty(affected.Minions);
        var error = Assert.Single(affected.Errors);
        Assert.Equal("m1", error.Key);
        Assert.Contains("Unable to render top file. No targets found.", error.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithNonJsonLineBetweenDocuments_SkipsItAndKeepsTheRest()
    {
        string[] lines = ["minion m2 was already deleted from tracker, probably a duplicate key", Stream[0], "", Stream[1]];

        var affected = ShowTop.Parse(lines, new SaltEnvName("jj", "dev"));

        Assert.Equal(["m1", "m2"], affected.Minions);
        Assert.Equal([lines[0]], affected.SkippedLines);
    }

    [Fact]
    public void FromDocuments_WithSecondDocumentForMinion_KeepsTheFirst()
    {
        JsonObject[] documents =
        [
            new() { ["m1"] = new JsonObject { ["foo/prod"] = new JsonArray("x") } },
            new() { ["m1"] = "Error: no.None" },
        ];

        var affected = ShowTop.FromDocuments(documents, new SaltEnvName("foo", "prod"));

        Assert.Equal(["m1"], affected.Minions);
        Assert.Empty(affected.Errors);
    }

    [Fact]
    public void Arguments_AskEveryMinionForStreamingJsonWithSaltsDefaultTimeout()
    {
        var arguments = ShowTop.Arguments();

        Assert.Equal(["*", "state.show_top", "--out=json", "--out-indent=-1"], arguments);
    }
}
