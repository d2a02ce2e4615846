using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiro.Core.Highstate;

namespace Spiro.Salt;

/// <summary>Runs the <c>salt</c> CLI as a child process and streams its stdout line by line.</summary>
public sealed class SaltCliClient(SaltOptions options, ILogger<SaltCliClient>? logger = null) : ISaltClient
{
    private const int StderrTailChars = 64 * 1024;
    private readonly ILogger _logger = logger ?? NullLogger<SaltCliClient>.Instance;

    /// <inheritdoc />
    public async IAsyncEnumerable<SaltOutput> RunAsync(IReadOnlyList<string> arguments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (process, failure) = Start(arguments);
        if (process is null)
        {
            yield return new SaltOutput.Unavailable(failure!);
            yield break;
        }

        using var owned = process;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.KillAfter);
        using var kill = deadline.Token.Register(() => Kill(process));
        try
        {
            var stderr = ReadTailAsync(process.StandardError);
            // No token here: a kill closes the pipe, which ends the loop; leftover lines still arrive in order.
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                yield return new SaltOutput.Line(line);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            var error = await stderr;
            cancellationToken.ThrowIfCancellationRequested();
            var timedOut = deadline.IsCancellationRequested;
            if (timedOut)
            {
                _logger.LogWarning("salt ran longer than {KillAfter} and was killed", options.KillAfter);
            }

            yield return new SaltOutput.Exited(process.ExitCode, error, timedOut);
        }
        finally
        {
            // The consumer may stop early (cancelled deploy, disposed stream): never leave salt running.
            Kill(process);
        }
    }

    private (Process? Process, string? Failure) Start(IReadOnlyList<string> arguments)
    {
        var command = options.Command ?? SaltOptions.DefaultCommand;
        var startInfo = new ProcessStartInfo(command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (!string.IsNullOrEmpty(options.ConfigDirectory))
        {
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(options.ConfigDirectory);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Salt is Python: without this its stdout is block-buffered into a pipe and nothing streams.
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        try
        {
            _logger.LogInformation("Starting {Command} {Arguments}", command, string.Join(' ', startInfo.ArgumentList));
            var process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"starting '{command}' returned no process");
            process.StandardInput.Close();
            return (process, null);
        }
        catch (Win32Exception exception)
        {
            _logger.LogError("Cannot start salt command {Command}: {Error}", command, exception.Message);
            return (null, $"The salt command '{command}' could not be started ({exception.Message}); is Salt installed on this master? Set --salt-command to its path. No minions were highstated.");
        }
    }

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > 2 * StderrTailChars)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }

        return tail.Length > StderrTailChars ? tail.ToString(tail.Length - StderrTailChars, StderrTailChars) : tail.ToString();
    }

    private void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone between the check and the kill.
        }
        catch (Win32Exception exception)
        {
            _logger.LogWarning("Could not kill salt process {Pid}: {Error}", process.Id, exception.Message);
        }
    }
}
