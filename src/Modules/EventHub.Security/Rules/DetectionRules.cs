using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventHub.Security.Rules;

/// <summary>
/// The rule set, compiled once when the host starts (built-in rules, then the operator's folder), and what each rule did
/// since then in this host copy. A refused rule is logged with its file, line and reason and listed by
/// <c>GET /v1/detections</c>; it never stops the host.
/// </summary>
internal sealed class DetectionRules
{
    readonly ConcurrentDictionary<string, RuleCounters> _counters = new(StringComparer.Ordinal);

    public DetectionRules(IOptions<DetectionRulesOptions> options, ILogger<DetectionRules> logger)
    {
        var refused = new List<RefusedRule>();
        var sources = RuleSources.BuiltIn();
        if (!string.IsNullOrEmpty(options.Value.RulesPath))
            sources = sources.Concat(RuleSources.Folder(options.Value.RulesPath, refused));
        Set = SigmaRuleLoader.Load(sources, refused);
        logger.LogInformation("Detection rules loaded: {Rules} rules and {Correlations} correlations, {Refused} refused", Set.Rules.Count, Set.Correlations.Count, Set.Refused.Count);
        foreach (var rule in Set.Refused)
            logger.LogWarning("Detection rule refused: {File} line {Line} ({Title}): {Reason}", rule.File, rule.Line, rule.Title, rule.Reason);
    }

    public RuleSet Set { get; }

    public RuleCounters Counters(string ruleName) => _counters.GetOrAdd(ruleName, _ => new RuleCounters());
}
