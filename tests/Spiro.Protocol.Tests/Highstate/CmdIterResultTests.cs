using System.Text.Json.Nodes;
using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Tests.Highstate;

/// <summary>The compatible endpoint's <c>highstate-update.result</c> is exactly what Salt's cmd_iter yielded.</summary>
public sealed class CmdIterResultTests
{
    public static TheoryData<string> Recordings => new()
    {
        "cmd_iter-highstate-ok.jsonl", "cmd_iter-highstate-failed.jsonl", "cmd_iter-highstate-render-error.jsonl", "cmd_iter-highstate-test.jsonl",
    };

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Returned_FromTheStatesAndTheRetcodeSaltSets_IsByteForByteWhatCmdIterYielded(string file)
    {
        var firsts = SaltSamples.Documents("cmd_iter/" + file).DistinctBy(document => document.Minion).ToList();
        Assert.NotEmpty(firsts);
        foreach (var (minion, recorded) in firsts)
        {
            var built = CmdIterResult.IsFailed(recorded)
                ? CmdIterResult.Failed()
                : CmdIterResult.Returned(recorded!["jid"]!.GetValue<string>(), recorded["ret"], SaltRetcode.Of(recorded["ret"]));

            Assert.True(recorded!.ToJsonString() == built.ToJsonString(), $"{file} {minion}:\n{recorded.ToJsonString()}\n{built.ToJsonString()}");
        }
    }

    [Fact]
    public void SaltRetcode_OfStatesWithAFailure_IsTwo_OfAnErrorList_IsOne_OfAllGood_IsZero()
    {
        Assert.Equal(2, SaltRetcode.Of(SaltSamples.First("hs.foo-bad.m1.stdout", "m1")));
        Assert.Equal(1, SaltRetcode.Of(SaltSamples.First("hs.render-error.m1.stdout", "m1")));
        Assert.Equal(0, SaltRetcode.Of(SaltSamples.First("hs.foo-bad.m1.test.stdout", "m1")));
    }

    [Fact]
    public void SaltRetcode_StateWithoutResultButWithEmptyChanges_FailsAsSaltsCheckResultDoes()
    {
        Assert.Equal(2, SaltRetcode.Of(JsonNode.Parse("""{"a_|-b_|-c_|-d": {"changes": {}, "comment": "x"}}""")));
    }

    [Fact]
    public void Summarize_OfAReturnedValue_UsesSaltsRetcode()
    {
        var value = CmdIterResult.Returned("1", SaltSamples.First("hs.foo-bad.m1.test.stdout", "m1"), retcode: 2);

        Assert.Equal((MinionOutcome.Failed, 2), (MinionSummarizer.Summarize("m1", value).Outcome, MinionSummarizer.Summarize("m1", value).Retcode));
    }
}
