using System.Net.Http.Headers;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Integration.Tests;

/// <summary>The real host in process on the in-memory bus, with a recorder of what it publishes.</summary>
internal sealed class EmbeddedHub : IAsyncDisposable
{
    readonly HubFactory _factory;

    public EmbeddedHub(Dictionary<string, string>? extraSettings = null, Action<IServiceCollection>? services = null)
    {
        var settings = HubSettings.Embedded();
        foreach (var (key, value) in extraSettings ?? [])
            settings[key] = value;
        _factory = new HubFactory(settings, services);
        Http = _factory.CreateClient();
        Http.DefaultRequestHeaders.Add("X-EventHub-Key", HubSettings.ApiKey);
        _factory.Services.GetRequiredService<IBus>().ConnectPublishObserver(Recorder);
    }

    public HttpClient Http { get; }

    public PublishRecorder Recorder { get; } = new();

    /// <summary>A client of this hub sending another key (the caller disposes it).</summary>
    public HttpClient ClientWith(string key)
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-EventHub-Key", key);
        return http;
    }

    public IServiceProvider Services => _factory.Services;

    public Task<HttpResponseMessage> PostAuth0Async(string body, string? token = HubSettings.Auth0Token, string contentType = "application/json") =>
        PostAuth0Async(Encoding.UTF8.GetBytes(body), token, contentType);

    public async Task<HttpResponseMessage> PostAuth0Async(byte[] body, string? token = HubSettings.Auth0Token, string contentType = "application/json", string? contentEncoding = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null)
            content.Headers.ContentEncoding.Add(contentEncoding);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0") { Content = content };
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", token.Length == 0 ? "" : $"Bearer {token}");
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Posts to <c>/webhooks/auth0/events</c> as an Auth0 Event Stream does: Authorization: Bearer and structured CloudEvents JSON.</summary>
    public async Task<HttpResponseMessage> PostEventStreamAsync(string body, string? token = HubSettings.EventStreamsToken, string contentType = "application/cloudevents+json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/auth0/events") { Content = content };
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }
}
