using EventHub.Storage.PersonalData;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EventHub.Storage.Sagas;

/// <summary>
/// Puts a saga's instances in the hub's database (SQLite or PostgreSQL): <c>AddSagaStateMachine&lt;M, S&gt;().StoredRepository()</c>
/// for one saga, or <c>SetStoredSagaRepositoryProvider()</c> for every saga registered without its own repository.
/// Needs <see cref="Database"/> (the host's storage) in the container. Adds the <c>sagas</c> table migration and the
/// cleanup of expired instances.
/// </summary>
public static class StoredSagaRepositoryExtensions
{
    public static ISagaRegistrationConfigurator<T> StoredRepository<T>(this ISagaRegistrationConfigurator<T> configurator)
        where T : class, ISagaVersion
    {
        configurator.Repository(services => services.AddStoredSagaRepository<T>());
        return configurator;
    }

    public static void SetStoredSagaRepositoryProvider(this IRegistrationConfigurator configurator) =>
        configurator.SetSagaRepositoryProvider(new StoredSagaRepositoryRegistrationProvider());

    public static void AddStoredSagaRepository<T>(this IServiceCollection services)
        where T : class, ISagaVersion
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SagaStore<T>>();
        if (!services.Any(d => !d.IsKeyedService && ReferenceEquals(d.ImplementationInstance, SagaSchema.V1)))
        {
            services.AddSingleton(SagaSchema.V1);
            services.AddSingleton<IPersonalDataEraser, SagaPersonalData>();
        }

        services.TryAddSingleton<ExpiredSagaCleanup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExpiredSagaCleanup>(sp => sp.GetRequiredService<ExpiredSagaCleanup>()));
        services.RegisterLoadSagaRepository<T, StoredSagaRepositoryContextFactory<T>>();
        services.RegisterQuerySagaRepository<T, StoredSagaRepositoryContextFactory<T>>();
        services.RegisterSagaRepository<T, SagaStore<T>, SagaConsumeContextFactory<SagaStore<T>, T>, StoredSagaRepositoryContextFactory<T>>();
    }

    sealed class StoredSagaRepositoryRegistrationProvider : ISagaRepositoryRegistrationProvider
    {
        public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
            where TSaga : class, ISaga
        {
            if (!typeof(ISagaVersion).IsAssignableFrom(typeof(TSaga)))
                throw new InvalidOperationException($"{typeof(TSaga).Name} must implement ISagaVersion to be stored in the hub's database.");
            typeof(StoredSagaRepositoryExtensions).GetMethod(nameof(StoredRepository))!.MakeGenericMethod(typeof(TSaga)).Invoke(null, [configurator]);
        }
    }
}
