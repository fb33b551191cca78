using EventHub.TestSupport;

// The fault tests run one at a time: each drives hosts with thousands of entries and stops a node or a process, and
// must neither disturb another nor load the machine twice over.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
[assembly: AssemblyFixture(typeof(BrokerFixture))]
[assembly: AssemblyFixture(typeof(PostgresFixture))]
