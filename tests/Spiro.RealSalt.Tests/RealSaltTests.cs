using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests;

/// <summary>Every test of this assembly shares one Salt lab: it takes seconds to start.</summary>
[CollectionDefinition(SaltLabFixture.Collection)]
public sealed class RealSaltTests : ICollectionFixture<SaltLabFixture>;
