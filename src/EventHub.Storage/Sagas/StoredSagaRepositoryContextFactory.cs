using MassTransit;
using MassTransit.Saga;

namespace EventHub.Storage.Sagas;

/// <summary>
/// MassTransit's extension point for saga persistence, over <see cref="SagaStore{TSaga}"/>: the saga pipe loads, adds,
/// updates and deletes instances through the contexts this creates. Registered by
/// <see cref="StoredSagaRepositoryExtensions.StoredRepository{T}"/>.
/// </summary>
public sealed class StoredSagaRepositoryContextFactory<TSaga>(SagaStore<TSaga> store, ISagaConsumeContextFactory<SagaStore<TSaga>, TSaga> factory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        next.Send(new StoredSagaRepositoryContext<TSaga, T>(store, context, factory));

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var instances = await store.QueryAsync(query.FilterExpression.Compile(), context.CancellationToken);
        var repositoryContext = new StoredSagaRepositoryContext<TSaga, T>(store, context, factory);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new StoredSagaRepositoryContext<TSaga>(store, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new StoredSagaRepositoryContext<TSaga>(store, cancellationToken));

    public void Probe(ProbeContext context) => context.Add("persistence", "eventhub-storage");
}
