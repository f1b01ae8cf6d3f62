namespace CachedMethods.Generators;

/// <summary>The names of the pipeline steps, so tests can check what each step did on a rerun.</summary>
internal static class TrackingNames
{
    public const string Targets = nameof(Targets);
    public const string Files = nameof(Files);
    public const string DependencyInjection = nameof(DependencyInjection);
    public const string Registration = nameof(Registration);
    public const string SerializableValues = nameof(SerializableValues);
    public const string Formatters = nameof(Formatters);
}
