namespace EventHub.Auth0.LogStream;

internal enum RequestBodyError
{
    None,
    TooLarge,
    UnsupportedEncoding,
    InvalidGzip,
}
