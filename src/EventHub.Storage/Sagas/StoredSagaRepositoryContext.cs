using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace EventHub.Storage.Sagas;

/// <summary>What the saga pipe does to instances while one message is consumed.</summary>
public sealed class StoredSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly SagaStore<TSaga> store;
    readonly ConsumeContext<TMessage> consumeContext;
    readonly ISagaConsumeContextFactory<SagaStore<TSaga>, TSaga> factory;

    public StoredSagaRepositoryContext(SagaStore<TSaga> store, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<SagaStore<TSaga>, TSaga> factory)
        : base(consumeContext)
    {
        this.store = store;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, mode);

    /// <summary>A new instance, kept in memory until <see cref="Save"/>.</summary>
    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Add);

    /// <summary>Insert-on-initial: stored at once; null when it exists already, so the pipe loads it instead.</summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance) =>
        await store.TryInsertAsync(instance, CancellationToken)
            ? await factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Insert)
            : null!;

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId) =>
        await store.LoadAsync(correlationId, CancellationToken) is { } instance
            ? await factory.CreateSagaConsumeContext(store, consumeContext, instance, SagaConsumeContextMode.Load)
            : null!;

    public Task Save(SagaConsumeContext<TSaga> context) => store.InsertAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<TSaga> context) => store.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TSaga> context) => store.DeleteAsync(context.Saga, CancellationToken);

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;
}

/// <summary>Loads and queries outside a consumed message (the test harness, tools).</summary>
public sealed class StoredSagaRepositoryContext<TSaga>(SagaStore<TSaga> store, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    LoadSagaRepositoryContext<TSaga>,
    QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga> Load(Guid correlationId) => (await store.LoadAsync(correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default) =>
        new LoadedSagaRepositoryQueryContext<TSaga>(this, await store.QueryAsync(query.FilterExpression.Compile(), cancellationToken));
}
