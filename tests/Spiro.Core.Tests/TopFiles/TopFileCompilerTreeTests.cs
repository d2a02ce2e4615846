using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.TopFiles;

public sealed class TopFileCompilerTreeTests : IDisposable
{
    private readonly string _tree = Directory.CreateTempSubdirectory("spiro-top-").FullName;

    public void Dispose() => Directory.Delete(_tree, recursive: true);

    [Fact]
    public void Compile_WithTopSlsInBundle_KeepsItEvenWhenSpirotopExists()
    {
        File.WriteAllText(Path.Combine(_tree, "top.sls"), "'foo/dev': {'*': [x]}\n");
        File.WriteAllText(Path.Combine(_tree, "spirotop.sls"), "dev: {foo-dev: [server]}\n");

        var result = new TopFileCompiler().Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.Equal(new TopFileResult.Kept("top.sls"), result);
    }

    [Fact]
    public void Compile_WithCustomStateTop_KeepsThatFileAndIgnoresPlainTopSls()
    {
        File.WriteAllText(Path.Combine(_tree, "top.sls"), "not ours\n");
        File.WriteAllText(Path.Combine(_tree, "spirotop.sls"), "dev: {foo-dev: [server]}\n");
        var compiler = new TopFileCompiler("salt://site_top.sls");

        var generated = Assert.IsType<TopFileResult.Generated>(compiler.Compile(_tree, new SaltEnvName("foo", "dev")));
        File.WriteAllText(Path.Combine(_tree, "site_top.sls"), "'foo/dev': {}\n");
        var kept = compiler.Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.Equal("site_top.sls", generated.FileName);
        Assert.Equal(new TopFileResult.Kept("site_top.sls"), kept);
    }

    [Fact]
    public void Compile_WithSpirotopInTree_GeneratesFromIt()
    {
        File.WriteAllText(Path.Combine(_tree, "spirotop.sls"), "dev: {foo-dev: [server]}\n");

        var result = new TopFileCompiler().Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.Equal("{foo/dev: {foo-dev: [server]}}", YamlShape.Of(Assert.IsType<TopFileResult.Generated>(result).Content));
    }

    [Fact]
    public void Compile_WithSpirotopOverOneMiB_IsInvalidWithoutReadingIt()
    {
        var yaml = "dev: {foo-dev: [server]}\n";
        using (var file = File.Create(Path.Combine(_tree, "spirotop.sls")))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(yaml));
            file.SetLength((1L << 20) + 1); // sparse zeros: the size matters, not the content
        }

        var result = new TopFileCompiler().Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.Equal(new TopFileResult.Invalid("spirotop.sls", 1, 1, $"spirotop.sls is {(1L << 20) + 1} bytes, more than the 1 MiB limit"), result);
    }

    [Fact]
    public void Compile_WithSpirotopOfExactlyOneMiB_IsRead()
    {
        var yaml = "dev: {foo-dev: [server]}\n";
        File.WriteAllText(Path.Combine(_tree, "spirotop.sls"), yaml + new string('#', (1 << 20) - yaml.Length));

        var result = new TopFileCompiler().Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.IsType<TopFileResult.Generated>(result);
    }

    [Fact]
    public void Compile_WithNeitherFile_GivesNone()
    {
        var result = new TopFileCompiler().Compile(_tree, new SaltEnvName("foo", "dev"));

        Assert.Contains("neither top.sls nor spirotop.sls", Assert.IsType<TopFileResult.None>(result).Reason, StringComparison.Ordinal);
    }
}
