using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests;

/// <summary>Every test here shares one PostgreSQL and one radosgw (tests/Spiro.Testing/Services).</summary>
[CollectionDefinition(ClusterServicesFixture.Collection)]
public sealed class ClusterServicesTests : ICollectionFixture<ClusterServicesFixture>;
