using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Sse;

/// <summary>The tests' SSE parser reads what the server writes: a keep-alive comment has no blank line of its own.</summary>
public sealed class SseEventParserTests
{
    [Fact]
    public void ParseAll_KeepAliveRightBeforeAnEvent_KeepsTheEventAndCountsTheComment()
    {
        var events = SseEvent.ParseAll(": keepalive\nevent: highstate-update\nid: 4\ndata: {}\n\n: keepalive\n", out var comments);

        var only = Assert.Single(events);
        Assert.Equal(("highstate-update", 4L), (only.Name, only.Id!.Value));
        Assert.Equal(2, comments);
    }
}
