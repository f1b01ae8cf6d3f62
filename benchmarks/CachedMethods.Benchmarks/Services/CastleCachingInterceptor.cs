using System.Collections.Concurrent;
using System.Reflection;
using Castle.DynamicProxy;

namespace CachedMethods.Benchmarks.Services;

/// <summary>
/// The Castle DynamicProxy baseline: an interceptor doing the same caching as the generated decorator,
/// over the same engine and with the same key parts, but deciding everything at run time. It reads
/// <see cref="CachedAttribute"/> by reflection once per method, then on every call builds the key from
/// the boxed <see cref="IInvocation.Arguments"/> with <see cref="CacheKeyBuilder.AppendObject"/>.
/// </summary>
/// <remarks>Its hit path, minus the direct call's, is the "decorator overhead" issue 4 compares with the generated one.</remarks>
public sealed class CastleCachingInterceptor(CacheManager cache) : IInterceptor
{
    private static readonly ProxyGenerator Generator = new();
    private readonly ConcurrentDictionary<MethodInfo, MethodPlan?> _plans = new();

    /// <summary>Wraps <paramref name="target"/> in a proxy whose [Cached] methods go through <paramref name="cache"/>.</summary>
    public static TService Wrap<TService>(TService target, CacheManager cache)
        where TService : class =>
        Generator.CreateInterfaceProxyWithTargetInterface(target, new CastleCachingInterceptor(cache));

    public void Intercept(IInvocation invocation)
    {
        var plan = _plans.GetOrAdd(invocation.Method, MethodPlan.Create);
        if (plan is null)
        {
            invocation.Proceed();
            return;
        }

        var key = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            key.AppendScope(plan.ScopeType, plan.ScopeMethod, plan.Version, plan.ResultShape);
            var arguments = invocation.Arguments;
            foreach (var (index, name) in plan.KeyParameters)
            {
                key.AppendName(name);
                key.AppendObject(arguments[index], name);
            }

            invocation.ReturnValue = plan.TryHit(cache, key.Written, out var hit)
                ? hit
                : plan.Miss(cache, key.ToCacheKey(), invocation.CaptureProceedInfo(), invocation);
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>What reflection found out about one [Cached] method, and its typed hit and miss paths.</summary>
    private abstract class MethodPlan
    {
        public string ScopeType { get; private set; } = "";

        public string ScopeMethod { get; private set; } = "";

        public int Version { get; private set; }

        public string ResultShape { get; private set; } = "";

        public (int Index, string Name)[] KeyParameters { get; private set; } = [];

        protected CacheEntryOptions Options { get; private set; } = CacheEntryOptions.Default;

        public static MethodPlan? Create(MethodInfo method)
        {
            if (method.GetCustomAttribute<CachedAttribute>() is not { } cached)
            {
                return null;
            }

            var returnType = method.ReturnType;
            var (planType, result) = returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? (typeof(TaskPlan<>), returnType.GetGenericArguments()[0])
                : returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)
                    ? (typeof(ValueTaskPlan<>), returnType.GetGenericArguments()[0])
                    : (typeof(SyncPlan<>), returnType);
            var plan = (MethodPlan)Activator.CreateInstance(planType.MakeGenericType(result))!;
            plan.ScopeType = method.DeclaringType!.FullName!;
            plan.ScopeMethod = method.Name;
            plan.Version = cached.Version;
            plan.ResultShape = result.FullName!;
            plan.KeyParameters = method.GetParameters()
                .Where(static p => p.ParameterType != typeof(CancellationToken) && p.GetCustomAttribute<NotCacheKeyAttribute>() is null)
                .Select(static p => (p.Position, p.Name!))
                .ToArray();
            plan.Options = cached.Ttl > 0 ? new CacheEntryOptions { Ttl = TimeSpan.FromSeconds(cached.Ttl) } : CacheEntryOptions.Default;
            return plan;
        }

        public abstract bool TryHit(CacheManager cache, ReadOnlySpan<byte> key, out object? returnValue);

        public abstract object? Miss(CacheManager cache, CacheKey key, IInvocationProceedInfo proceed, IInvocation invocation);
    }

    private sealed class SyncPlan<T> : MethodPlan
    {
        public override bool TryHit(CacheManager cache, ReadOnlySpan<byte> key, out object? returnValue)
        {
            var hit = cache.TryGetMemory<T>(key, out var value);
            returnValue = value;
            return hit;
        }

        public override object? Miss(CacheManager cache, CacheKey key, IInvocationProceedInfo proceed, IInvocation invocation) =>
            cache.GetOrCreate(key, (proceed, invocation), static s =>
            {
                s.proceed.Invoke();
                return (T)s.invocation.ReturnValue!;
            }, Options);
    }

    private sealed class TaskPlan<T> : MethodPlan
    {
        public override bool TryHit(CacheManager cache, ReadOnlySpan<byte> key, out object? returnValue)
        {
            var hit = cache.TryGetMemory<T>(key, out var value);
            returnValue = hit ? Task.FromResult(value) : null;
            return hit;
        }

        public override object? Miss(CacheManager cache, CacheKey key, IInvocationProceedInfo proceed, IInvocation invocation) =>
            cache.GetOrCreateAsync(key, (proceed, invocation), static (s, _) =>
            {
                s.proceed.Invoke();
                return new ValueTask<T>((Task<T>)s.invocation.ReturnValue!);
            }, Options).AsTask();
    }

    private sealed class ValueTaskPlan<T> : MethodPlan
    {
        public override bool TryHit(CacheManager cache, ReadOnlySpan<byte> key, out object? returnValue)
        {
            var hit = cache.TryGetMemory<T>(key, out var value);
            returnValue = hit ? new ValueTask<T>(value) : null;
            return hit;
        }

        public override object? Miss(CacheManager cache, CacheKey key, IInvocationProceedInfo proceed, IInvocation invocation) =>
            cache.GetOrCreateAsync(key, (proceed, invocation), static (s, _) =>
            {
                s.proceed.Invoke();
                return (ValueTask<T>)s.invocation.ReturnValue!;
            }, Options);
    }
}
