using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Lab;

/// <summary>The lab itself: what every other real-Salt test relies on.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class SaltLabTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task Lab_AfterStart_BothMinionsAnswerAndTheSpiroBackendIsLoaded()
    {
        var lab = salt.Lab;
        var pings = await lab.SaltJsonAsync("*", "test.ping", "-t", "30");
        Assert.True(pings["m1"]?.GetValue<bool>(), pings.ToJsonString());
        Assert.True(pings["m2"]?.GetValue<bool>(), pings.ToJsonString());

        var grains = await lab.SaltJsonAsync("roles:web", "grains.item", "id", "-G");
        Assert.Equal(["m1"], grains.Select(pair => pair.Key));
    }

    [SaltFact]
    public async Task StopMinion_ThenStart_TheMinionAnswersAgain()
    {
        var lab = salt.Lab;
        await lab.StopMinionAsync("m2");
        try
        {
            Assert.False(lab.IsRunning("m2"));
            var pings = await lab.SaltJsonAsync("*", "test.ping", "-t", "5");
            Assert.True(pings["m1"]?.GetValue<bool>(), pings.ToJsonString());
            Assert.NotEqual("true", pings["m2"]?.ToJsonString());
        }
        finally
        {
            await lab.StartMinionAsync("m2");
        }

        var again = await lab.SaltJsonAsync("m2", "test.ping", "-t", "30");
        Assert.True(again["m2"]?.GetValue<bool>(), again.ToJsonString());
    }
}
