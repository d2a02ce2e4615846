using Spiro.Server.Deploys;

namespace Spiro.Server.Tests.Endpoints;

public sealed class ExpiredPlanSweeperTests
{
    [Theory]
    [InlineData(86_400, 3_600)]
    [InlineData(3_600, 900)]
    [InlineData(2, 1)]
    [InlineData(0.001, 1)]
    public void Interval_IsAQuarterOfThePlanLifetime_BetweenASecondAndAnHour(double lifetimeSeconds, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ExpiredPlanSweeper.Interval(TimeSpan.FromSeconds(lifetimeSeconds)));
}
