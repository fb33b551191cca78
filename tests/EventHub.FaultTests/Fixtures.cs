using EventHub.TestSupport;

// The fault tests are one class, so xunit runs them one at a time: each drives a host with thousands of entries and
// stops a node or a process, and must neither disturb another nor load the machine twice over.
[assembly: AssemblyFixture(typeof(BrokerFixture))]
[assembly: AssemblyFixture(typeof(PostgresFixture))]
