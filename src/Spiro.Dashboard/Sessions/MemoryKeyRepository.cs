using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Spiro.Dashboard.Sessions;

/// <summary>
/// Keeps the anti-forgery token keys in memory. Sessions live in memory too, so a restart that
/// forgets the keys only invalidates forms that a restart has already signed out; and nothing is
/// written under the service account's home directory (ASP.NET's default key store).
/// </summary>
internal sealed class MemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _gate = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return [.. _elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
