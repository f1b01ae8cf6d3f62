using System.Globalization;
using System.Reflection;
using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CachedMethods.Tests.Configuration;

/// <summary>
/// Every option can be set from configuration: the test walks the settable properties of the options types, so an
/// option added later is covered without anyone remembering to list it here.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class OptionsBindingTests
{
    /// <summary>Objects, not values: set in code only, and documented so on <see cref="CacheOptions"/>.</summary>
    private static readonly HashSet<string> CodeOnly = new(StringComparer.Ordinal)
    {
        nameof(CacheOptions.TimeProvider),
        nameof(CacheOptions.Serializer),
        nameof(CacheOptions.Services),
        nameof(CacheOptions.RedisStoreFactory),
        nameof(CacheOptions.S3StoreFactory),
    };

    /// <summary>Option types bound member by member under their property's key.</summary>
    private static readonly HashSet<Type> Groups = [typeof(RedisSettings), typeof(S3Settings)];

    [Fact]
    public void Every_settable_option_binds_from_its_key()
    {
        using var _ = new EnvironmentVariableScope(new Dictionary<string, string?>());
        var defaults = new CacheOptions();
        var expected = new List<(string Key, PropertyInfo[] Path, object Value)>();
        Walk(typeof(CacheOptions), defaults, "", [], expected);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(expected.Select(e => KeyValuePair.Create(CacheOptions.SectionName + ":" + e.Key, (string?)Text(e.Value))))
            .Build()
            .GetSection(CacheOptions.SectionName);

        var services = new ServiceCollection().AddCachedMethods(configuration);
        using var provider = services.BuildServiceProvider();
        var bound = provider.GetRequiredService<IOptions<CacheOptions>>().Value;

        var unbound = expected.Where(e => !Equals(Read(bound, e.Path), e.Value)).Select(e => e.Key).ToList();
        Assert.True(unbound.Count == 0, "Not set from configuration: " + string.Join(", ", unbound));
        // The walk reaches the options of every group, including the ten the hand-written binder once forgot.
        Assert.Contains(expected, e => e.Key == "RefreshAheadFraction");
        Assert.Contains(expected, e => e.Key == "Redis:TlsCaCertificatePath" || e.Key == "Redis:KeyPrefix");
        Assert.Contains(expected, e => e.Key == "S3:OperationTimeoutMs");
    }

    [Fact]
    public void The_code_only_options_are_exactly_the_object_typed_ones()
    {
        var objectTyped = typeof(CacheOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && !Groups.Contains(p.PropertyType) && ValueFor(p.PropertyType, null, p.Name) is null)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(CodeOnly.Order(StringComparer.Ordinal), objectTyped.Order(StringComparer.Ordinal));
    }

    private static void Walk(Type type, object instance, string prefix, PropertyInfo[] path, List<(string, PropertyInfo[], object)> found)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.SetMethod is not { IsPublic: true } || CodeOnly.Contains(property.Name))
            {
                continue;
            }

            PropertyInfo[] here = [.. path, property];
            var current = property.GetValue(instance);
            if (Groups.Contains(property.PropertyType))
            {
                Walk(property.PropertyType, current!, prefix + property.Name + ":", here, found);
                continue;
            }

            var value = ValueFor(property.PropertyType, current, property.Name)
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name} ({property.PropertyType.Name}) has no configuration form: list it as code-only or give it a simple type.");
            found.Add((prefix + property.Name, here, value));
        }
    }

    /// <summary>A valid value different from <paramref name="current"/>, or null for a type configuration cannot hold.</summary>
    private static object? ValueFor(Type type, object? current, string name)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            // The signing key has a minimum length (16); every other string takes any text.
            return "set-" + name + "/" + (name == nameof(CacheOptions.SigningKey) ? "long-enough-secret" : "");
        }

        if (underlying == typeof(bool))
        {
            return !(bool)(current ?? false);
        }

        if (underlying == typeof(int))
        {
            // Plus one stays inside every range: ports, databases and timeouts all accept their default + 1.
            return (int)(current ?? 0) + 1;
        }

        if (underlying == typeof(double))
        {
            return (double)(current ?? 0.0) + 0.25;
        }

        if (underlying.IsEnum)
        {
            var values = Enum.GetValues(underlying);
            return values.Cast<object>().Last(v => !v.Equals(current));
        }

        return null;
    }

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static object? Read(object root, PropertyInfo[] path)
    {
        var value = root;
        foreach (var property in path)
        {
            value = property.GetValue(value);
        }

        return value;
    }
}
