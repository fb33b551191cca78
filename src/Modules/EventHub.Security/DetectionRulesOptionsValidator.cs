using Microsoft.Extensions.Options;

namespace EventHub.Security;

internal sealed class DetectionRulesOptionsValidator : IValidateOptions<DetectionRulesOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectionRulesOptions options) =>
        string.IsNullOrEmpty(options.RulesPath) || Directory.Exists(options.RulesPath)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"EventHub__Detections__RulesPath '{options.RulesPath}' is not a folder");
}
