using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(BrokerFixture))]
[assembly: AssemblyFixture(typeof(PostgresFixture))]
