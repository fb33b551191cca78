using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
