namespace Spiro.Dashboard.Tests.Http;

public sealed class HtmlTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("a\" onmouseover=\"x", "a&quot; onmouseover=&quot;x")]
    [InlineData("it's & done", "it&#x27;s &amp; done")]
    [InlineData("grüße", "grüße")]
    public void TextAndAttributeValues_AreEncoded(string value, string encoded)
    {
        var html = new Html.Html().Element("p", value, ("title", value)).ToString();
        Assert.Equal($"<p title=\"{encoded}\">{encoded}</p>", html);
    }
}
