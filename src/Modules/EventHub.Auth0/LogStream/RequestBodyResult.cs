namespace EventHub.Auth0.LogStream;

internal readonly record struct RequestBodyResult(RequestBody? Body, RequestBodyError Error)
{
    public static RequestBodyResult Ok(RequestBody body) => new(body, RequestBodyError.None);

    public static RequestBodyResult Fail(RequestBodyError error) => new(null, error);
}
