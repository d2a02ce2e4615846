using System.Runtime.Versioning;
using Spiro.Testing.Salt;

// Salt runs on Linux only; so does this assembly (file modes, process groups).
[assembly: SupportedOSPlatform("linux")]

namespace Spiro.RealSalt.Tests;

/// <summary>Every test of this assembly shares one Salt lab: it takes seconds to start.</summary>
[CollectionDefinition(SaltLabFixture.Collection)]
public sealed class RealSaltTests : ICollectionFixture<SaltLabFixture>;
