using EventHub.Container.Tests;
using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(BrokerFixture))]
[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(ImageFixture))]
