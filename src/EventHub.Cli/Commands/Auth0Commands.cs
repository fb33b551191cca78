using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Cli.Auth0;
using EventHub.Client;
using EventHub.Contracts.Auth0;

namespace EventHub.Cli.Commands;

/// <summary><c>auth0 send &lt;codes...&gt;</c>: sample Log Streams entries posted to the hub's <c>/webhooks/auth0</c>, as Auth0 would.</summary>
internal static class Auth0Commands
{
    public static readonly Option<string?> Token = new("--token") { Description = "The hub's Auth0 log stream token (else EVENTHUB_AUTH0_TOKEN, \"auth0Token\" in the config file)", Recursive = true };

    public static Command Create()
    {
        var codes = new Argument<string[]>("codes") { Arity = ArgumentArity.OneOrMore, Description = "Auth0 log type codes: f s fp pwd_leak limit_wc ..." };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 1, Description = "Entries per code (1-1000)" };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
                result.AddError("--count must be from 1 to 1000");
        });
        var tenant = new Option<string>("--tenant") { DefaultValueFactory = _ => "example-tenant", Description = "tenant_name of the entries" };
        var send = new Command("send", "Post realistic Auth0 log entries of these type codes to the hub's log stream endpoint") { codes, count, tenant };
        send.Handle(async (run, cancellationToken) =>
        {
            var types = run.Get(codes).Select(code => Auth0LogTypes.ByCode.TryGetValue(code, out var type)
                ? type
                : throw new UsageException($"'{code}' is not a known Auth0 log type code (see GET /v1/catalog or Auth0LogTypes.tsv)")).ToList();
            var now = DateTimeOffset.UtcNow;
            var records = types.SelectMany(type => Enumerable.Range(0, run.Get(count)).Select(_ => (type, record: SampleLogEntries.Record(type, now, run.Get(tenant)!)))).ToList();
            var settings = run.Settings;
            await PostAsync(settings, new JsonArray([.. records.Select(r => (JsonNode)r.record)]), cancellationToken);
            foreach (var (type, record) in records)
            {
                var logId = record["log_id"]!.GetValue<string>();
                if (run.Out.Json)
                    run.Out.WriteJson(new { id = logId, name = type.EventName, code = type.Code });
                else
                    Console.WriteLine($"{type.EventName}  {logId}");
            }

            return ExitCodes.Ok;
        });
        return new Command("auth0", "Auth0 test data") { send };
    }

    static async Task PostAsync(HubSettings settings, JsonArray body, CancellationToken cancellationToken)
    {
        if (settings.Auth0Token is null)
            throw new EventHubAuthenticationException("No Auth0 log stream token: pass --token, set EVENTHUB_AUTH0_TOKEN, or put \"auth0Token\" in the config file", HttpStatusCode.Unauthorized, null);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Url, "webhooks/auth0"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Auth0Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new EventHubUnavailableException($"EventHub at {settings.Url} could not be reached ({e.Message})", null, null, e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
                return;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            EventHubProblem? problem = null;
            try
            {
                problem = text.Length > 0 ? JsonSerializer.Deserialize<EventHubProblem>(text, JsonSerializerOptions.Web) : null;
            }
            catch (JsonException)
            {
            }

            var message = $"EventHub answered {(int)response.StatusCode} {problem?.Title ?? response.ReasonPhrase}" + (problem?.Detail is { } detail ? $": {detail}" : "");
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new EventHubAuthenticationException(message, response.StatusCode, problem),
                >= HttpStatusCode.InternalServerError => new EventHubUnavailableException(message, response.StatusCode, problem, null),
                _ => new EventHubValidationException(message, response.StatusCode, problem),
            };
        }
    }
}
