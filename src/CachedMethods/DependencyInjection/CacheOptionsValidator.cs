using Microsoft.Extensions.Options;

namespace CachedMethods.DependencyInjection;

/// <summary>
/// Checks the ranges declared on <see cref="CacheOptions"/>, <see cref="RedisSettings"/> and <see cref="S3Settings"/>.
/// The options validation source generator writes the body: no reflection.
/// </summary>
[OptionsValidator]
internal sealed partial class CacheOptionsValidator : IValidateOptions<CacheOptions>;
