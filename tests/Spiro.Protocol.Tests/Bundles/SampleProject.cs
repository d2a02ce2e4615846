using System.Diagnostics;

namespace Spiro.Protocol.Tests.Bundles;

/// <summary>A small project checkout in its own temp directory, optionally a real git repository.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SampleProject : IDisposable
{
    public SampleProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "spiro-builder-" + Guid.NewGuid().ToString("N"));
        Write("_salt/spirotop.sls", "dev:\n  '*':\n    - web\n");
        Write("_salt/web/init.sls", "hello: test.nop\n");
        Write("_salt/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(Root, "_salt/run.sh"), (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(Root, "_salt/web/empty"));
        File.CreateSymbolicLink(Path.Combine(Root, "_salt/alias.sls"), "web/init.sls");
        Write("build/hello.txt", "hello\n");
        Write("build/dist/app.bin", "app");
        Write("README.md", "# sample\n");
        Write("src/main.c", "int main(void) { return 0; }\n");
    }

    public string Root { get; }

    public void Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>git init on branch main, commit everything there is now.</summary>
    public void CommitAll()
    {
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "initial");
    }

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error}");
        return output;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
