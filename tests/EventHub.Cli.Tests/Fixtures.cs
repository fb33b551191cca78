using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(BrokerFixture))]
