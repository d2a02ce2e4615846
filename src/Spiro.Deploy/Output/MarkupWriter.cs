using Spectre.Console;

namespace Spiro.Deploy.Output;

/// <summary>
/// Writes Spectre markup lines: coloured through Spectre on a terminal, as plain text otherwise
/// (no wrapping, no escape codes, so CI logs stay greppable).
/// </summary>
internal sealed class MarkupWriter
{
    private readonly TextWriter writer;
    private readonly IAnsiConsole? console;

    /// <param name="writer">Destination.</param>
    /// <param name="colour">Colours (and Spectre) on; only ever true for a terminal.</param>
    public MarkupWriter(TextWriter writer, bool colour)
    {
        this.writer = writer;
        if (colour)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.Yes,
                ColorSystem = ColorSystemSupport.Detect,
                // Live displays (the upload bar) render only on an interactive console.
                Interactive = InteractionSupport.Yes,
            });
        }
    }

    /// <summary>The Spectre console behind this writer when colours are on (for live displays).</summary>
    public IAnsiConsole? Console => console;

    public void Line(string markup)
    {
        if (console is not null)
        {
            console.MarkupLine(markup);
        }
        else
        {
            writer.WriteLine(markup.RemoveMarkup());
            writer.Flush();
        }
    }
}
