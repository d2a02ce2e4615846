using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Spiro.Core.TopFiles;

/// <summary>Writes the generated top file: <c>{'&lt;saltenv&gt;': {target: [state, ...]}}</c> as block YAML.</summary>
internal static class TopFileWriter
{
    /// <param name="header">A comment line written first (a confined project's <see cref="TargetConfinement.Header"/>).</param>
    public static string Write(string saltEnv, SpirotopSection section, string? header = null)
    {
        using var writer = new StringWriter();
        writer.NewLine = "\n";
        if (header is not null)
        {
            writer.WriteLine(header);
        }

        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new MappingStart());
        // Quoted always: the saltenv holds a '/', and quoting keeps it a string whatever the names look like.
        emitter.Emit(new Scalar(null, null, saltEnv, ScalarStyle.SingleQuoted, isPlainImplicit: false, isQuotedImplicit: true));
        emitter.Emit(new MappingStart());
        foreach (var target in section.Targets)
        {
            Emit(emitter, target.Target);
            emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
            foreach (var item in target.Items)
            {
                EmitItem(emitter, item);
            }

            emitter.Emit(new SequenceEnd());
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void EmitItem(Emitter emitter, TopItem item)
    {
        switch (item)
        {
            case TopItem.State state:
                Emit(emitter, state.Name);
                break;
            case TopItem.Option option:
                emitter.Emit(new MappingStart());
                Emit(emitter, option.Key);
                Emit(emitter, option.Value);
                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new InvalidOperationException($"unknown top item {item.GetType().Name}");
        }
    }

    // A scalar that was quoted in spirotop.sls stays quoted, so '123' remains the string Salt saw
    // nowhere else; a plain one stays plain and keeps its YAML 1.1 meaning (e.g. 'order: 1').
    private static void Emit(Emitter emitter, TopScalar scalar) => emitter.Emit(scalar.Quoted
        ? new Scalar(null, null, scalar.Text, ScalarStyle.SingleQuoted, isPlainImplicit: false, isQuotedImplicit: true)
        : new Scalar(null, null, scalar.Text, ScalarStyle.Any, isPlainImplicit: true, isQuotedImplicit: true));
}
