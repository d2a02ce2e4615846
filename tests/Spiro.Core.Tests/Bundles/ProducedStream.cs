using System.IO.Pipes;

namespace Spiro.Core.Tests.Bundles;

/// <summary>
/// A readable stream whose bytes a producer writes on the fly through an OS pipe, so huge
/// generated archives are never stored. Disposing stops the producer (its writes fail).
/// </summary>
internal sealed class ProducedStream : IAsyncDisposable
{
    private readonly AnonymousPipeServerStream _writeEnd;
    private readonly Task _producer;

    public ProducedStream(Func<Stream, Task> produce)
    {
        _writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        Reader = new AnonymousPipeClientStream(PipeDirection.In, _writeEnd.ClientSafePipeHandle);
        _producer = Task.Run(async () =>
        {
            try
            {
                await produce(_writeEnd);
            }
            finally
            {
                await _writeEnd.DisposeAsync();
            }
        });
    }

    public Stream Reader { get; }

    /// <summary>Closes the read end and waits for the producer; a producer cut off early (broken pipe) is expected.</summary>
    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        try
        {
            await _producer;
        }
        catch (IOException)
        {
        }
    }
}
