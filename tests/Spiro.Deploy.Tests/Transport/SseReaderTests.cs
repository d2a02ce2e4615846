using System.Text;
using Spiro.Deploy.Transport;

namespace Spiro.Deploy.Tests.Transport;

public sealed class SseReaderTests
{
    private static async Task<List<SseMessage>> ReadAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var list = new List<SseMessage>();
        await foreach (var message in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            list.Add(message);
        }

        return list;
    }

    [Fact]
    public async Task EventDataAndId_AreRead_CommentsIgnored()
    {
        var messages = await ReadAsync(": keepalive\n\nid: 3\nevent: deploy-bundle\ndata: {\"msg\": \"ok\"}\n\n: keepalive\nevent:highstate-finish\ndata:{}\n\n");

        Assert.Equal(
            [new SseMessage("deploy-bundle", "{\"msg\": \"ok\"}", "3"), new SseMessage("highstate-finish", "{}", null)],
            messages);
    }

    [Fact]
    public async Task MultipleDataLines_AreJoinedWithNewlines_AndCrLfIsAccepted()
    {
        var messages = await ReadAsync("event: x\r\ndata: a\r\ndata: b\r\n\r\n");

        Assert.Equal("a\nb", Assert.Single(messages).Data);
    }

    [Fact]
    public async Task UnfinishedMessageAtEndOfStream_IsDropped()
    {
        var messages = await ReadAsync("event: a\ndata: 1\n\nevent: b\ndata: 2\n");

        Assert.Equal("a", Assert.Single(messages).Event);
    }

    [Fact]
    public async Task MessageWithoutEventField_IsNamedMessage()
    {
        var messages = await ReadAsync("data: x\n\n");

        Assert.Equal("message", Assert.Single(messages).Event);
    }
}
