using CachedMethods.TestSupport;

namespace CachedMethods.S3.Tests;

/// <summary>The fixture itself: it must leave no server and no folder behind.</summary>
public sealed class S3ServerTests
{
    [Fact]
    public async Task A_disposed_server_stops_answering_and_its_data_folder_is_gone()
    {
        var server = await S3Server.StartAsync(["fixture-check"]);
        var serviceUrl = server.ServiceUrl;
        var dataFolder = server.DataFolder;
        using var http = new HttpClient();
        Assert.StartsWith("http://127.0.0.1:", serviceUrl, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dataFolder, "fixture-check")), "--configure-bucket should create the bucket folder.");
        using (var response = await http.GetAsync(serviceUrl + "/fixture-check"))
        {
            Assert.True(response.IsSuccessStatusCode, $"GET bucket answered {(int)response.StatusCode}.");
        }

        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(serviceUrl + "/"));
        Assert.False(Directory.Exists(dataFolder));
    }
}
