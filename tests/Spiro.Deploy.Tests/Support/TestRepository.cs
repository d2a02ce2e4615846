using System.Diagnostics;

namespace Spiro.Deploy.Tests.Support;

/// <summary>A real git repository with a <c>_salt</c> tree, made by the test.</summary>
internal sealed class TestRepository : IDisposable
{
    private readonly TempDirectory directory = new();

    public string Path => directory.Path;

    /// <summary>A typical project: states, a spirotop, artifacts, source files, committed.</summary>
    public static TestRepository CreateTypical(bool commit = true)
    {
        var repo = new TestRepository();
        repo.Write("_salt/spirotop.sls", "dev:\n  '*':\n    - app\n");
        repo.Write("_salt/app/init.sls", "app:\n  test.succeed_without_changes\n");
        repo.Write("_salt/app/files/app.conf", "port = 8080\n");
        repo.Write("_salt/.gitignore", "*.pyc\n");
        repo.Write("src/main.py", "print('hi')\n");
        repo.Write("README.md", "# demo\n");
        repo.Write("dist/app.tar.gz", "not really gzip\n");
        repo.Write("dist/extra/notes.txt", "notes\n");
        if (commit)
        {
            repo.Git("init", "-q", "-b", "main");
            repo.Git("add", "-A");
            repo.Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
        }

        return repo;
    }

    public string Write(string relative, string content) => directory.Write(relative, content);

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        }

        return output.Trim();
    }

    public void Dispose() => directory.Dispose();
}
