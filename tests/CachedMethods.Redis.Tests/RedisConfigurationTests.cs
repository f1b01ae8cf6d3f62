using System.Net;
using CachedMethods.Redis.Internal;
using StackExchange.Redis;

namespace CachedMethods.Redis.Tests;

public sealed class RedisConfigurationTests
{
    [Fact]
    public void A_plain_url_gives_the_endpoint_and_no_tls()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings { Url = "redis://127.0.0.1:6380" });

        Assert.Equal(("127.0.0.1", 6380), HostAndPort(Assert.Single(options.EndPoints)));
        Assert.False(options.Ssl);
        Assert.Null(options.Password);
        Assert.Equal(0, options.DefaultDatabase);
    }

    [Fact]
    public void A_rediss_url_turns_tls_on_and_carries_password_and_database()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings { Url = "rediss://:s3cr%40t@cache.example.com:6390/4" });

        Assert.Equal(("cache.example.com", 6390), HostAndPort(Assert.Single(options.EndPoints)));
        Assert.True(options.Ssl);
        Assert.Equal("cache.example.com", options.SslHost);
        Assert.Equal("s3cr@t", options.Password);
        Assert.Null(options.User);
        Assert.Equal(4, options.DefaultDatabase);
    }

    [Fact]
    public void A_url_may_name_a_user_and_leave_out_the_port()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings { Url = "REDIS://app:pw@redis.internal/2" });

        Assert.Equal(("redis.internal", 6379), HostAndPort(Assert.Single(options.EndPoints)));
        Assert.Equal("app", options.User);
        Assert.Equal("pw", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
    }

    [Fact]
    public void What_the_url_leaves_out_comes_from_the_settings()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings
        {
            Url = "redis://redis.internal:6379",
            Host = "ignored.example.com",
            Password = "from-env",
            Database = 5,
        });

        Assert.Equal(("redis.internal", 6379), HostAndPort(Assert.Single(options.EndPoints)));
        Assert.Equal("from-env", options.Password);
        Assert.Equal(5, options.DefaultDatabase);
    }

    [Fact]
    public void Host_port_database_and_password_are_used_without_a_url()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings { Host = "redis.internal", Port = 7000, Database = 1, Password = "pw" });

        Assert.Equal(("redis.internal", 7000), HostAndPort(Assert.Single(options.EndPoints)));
        Assert.Equal(1, options.DefaultDatabase);
        Assert.Equal("pw", options.Password);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void Timeouts_map_and_a_down_server_does_not_abort_the_connect()
    {
        var options = RedisConfiguration.FromSettings(new RedisSettings { Host = "localhost", OperationTimeoutMs = 321, ConnectTimeoutMs = 1234 });

        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(1234, options.ConnectTimeout);
        Assert.Equal(321, options.SyncTimeout);
        Assert.Equal(321, options.AsyncTimeout);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("localhost:6379")]
    [InlineData("http://localhost:6379")]
    [InlineData("redis://localhost:6379/zero")]
    [InlineData("redis://localhost:6379/0/1")]
    [InlineData("redis://localhost:99999")]
    [InlineData("redis://localhost:6379/0?ssl_cert_reqs=none")]
    [InlineData("redis://")]
    public void A_malformed_url_is_a_configuration_error(string url)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => RedisConfiguration.FromSettings(new RedisSettings { Url = url }));

        Assert.Contains("REDIS_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_for_a_malformed_url_hides_the_password()
    {
        var error = Assert.Throws<CacheConfigurationException>(
            () => RedisConfiguration.FromSettings(new RedisSettings { Url = "redis://:hunter2@localhost:6379/db" }));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("localhost", 0)]
    [InlineData("localhost", 70000)]
    public void Out_of_range_settings_are_configuration_errors(string? host, int port)
    {
        Assert.Throws<CacheConfigurationException>(() => RedisConfiguration.FromSettings(new RedisSettings { Host = host, Port = port }));
    }

    [Fact]
    public void Bad_timeouts_and_databases_are_configuration_errors()
    {
        Assert.Throws<CacheConfigurationException>(() => RedisConfiguration.FromSettings(new RedisSettings { Host = "h", OperationTimeoutMs = 0 }));
        Assert.Throws<CacheConfigurationException>(() => RedisConfiguration.FromSettings(new RedisSettings { Host = "h", ConnectTimeoutMs = -1 }));
        Assert.Throws<CacheConfigurationException>(() => RedisConfiguration.FromSettings(new RedisSettings { Host = "h", Database = -1 }));
    }

    [Fact]
    public void A_store_with_a_malformed_url_throws_a_configuration_error()
    {
        Assert.Throws<CacheConfigurationException>(() => new RedisCacheStore(new RedisSettings { Url = "redis://localhost:6379/x" }));
    }

    [Theory]
    [InlineData("cm:", "cm:*")]
    [InlineData(@"a*b?c[d]e\f", @"a\*b\?c\[d\]e\\f*")]
    public void The_scan_pattern_escapes_glob_characters(string prefix, string pattern)
    {
        Assert.Equal(pattern, RedisKeyPattern.ForPrefix(prefix));
    }

    private static (string Host, int Port) HostAndPort(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => (dns.Host, dns.Port),
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        _ => throw new InvalidOperationException($"Unexpected endpoint {endPoint}"),
    };
}
