using System.Security.Cryptography;
using System.Text;
using EventHub.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EventHub.Security.Rules;

/// <summary>
/// Compiles Sigma v2 rule files (several YAML documents per file allowed) into a <see cref="RuleSet"/>. A document it
/// cannot use is refused with its file, line and reason; the others load. Correlations are resolved after every file is
/// read, so they may name rules of other files (by <c>name</c> or <c>id</c>).
/// </summary>
internal static class SigmaRuleLoader
{
    public const string EventPrefix = "security.detection.";

    // refused: Refusals found before compiling (unreadable files), to which this adds its own.
    public static RuleSet Load(IEnumerable<RuleSource> sources, List<RefusedRule>? refused = null)
    {
        var rules = new List<SigmaRule>();
        var pending = new List<(YamlMappingNode Root, RuleInfo Info)>();
        refused ??= [];
        var names = new Dictionary<string, RuleInfo>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var documents = Documents(source, refused);
            var unnamed = documents.Count(d => Text(d, "name") is null);
            for (var index = 0; index < documents.Count; index++)
            {
                var root = documents[index];
                var title = Text(root, "title");
                try
                {
                    var info = Describe(root, source, unnamed > 1 ? index + 1 : null);
                    // Auth0's catalog names the base rule of every correlation "selected_events": the file tells them apart.
                    if (names.ContainsKey(info.Name))
                        info = info with { Name = Slug(Path.GetFileNameWithoutExtension(source.File)) + "-" + info.Name };
                    if (names.TryGetValue(info.Name, out var first))
                        throw new RuleError($"the name '{info.Name}' is already used by {first.File} line {first.Line}", info.Line);
                    if (Child(root, "correlation") is not null)
                        pending.Add((root, info));
                    else
                        rules.Add(DetectionCompiler.Compile(root, info));
                    names[info.Name] = info;
                }
                catch (RuleError error)
                {
                    refused.Add(new RefusedRule(source.File, error.Line, title, error.Message));
                }
            }
        }

        var correlations = new List<SigmaCorrelation>();
        foreach (var (root, info) in pending)
        {
            try
            {
                var correlation = CorrelationCompiler.Compile(root, info, rules);
                foreach (var rule in correlation.Rules)
                    rule.UsedBy.Add(correlation);
                correlations.Add(correlation);
            }
            catch (RuleError error)
            {
                refused.Add(new RefusedRule(info.File, error.Line, info.Title, error.Message));
            }
        }

        return new RuleSet(rules, correlations, refused);
    }

    static List<YamlMappingNode> Documents(RuleSource source, List<RefusedRule> refused)
    {
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(source.Text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException invalid)
        {
            refused.Add(new RefusedRule(source.File, invalid.Start.Line, null, $"not valid YAML: {invalid.Message}"));
            return [];
        }
        catch (InvalidOperationException invalid)
        {
            // YamlDotNet's scanner throws this on some malformed input, without a position: report where parsing got to.
            refused.Add(new RefusedRule(source.File, parser.LastLine, null, $"not valid YAML: {invalid.Message}"));
            return [];
        }

        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlMappingNode root)
                documents.Add(root);
            else if (document.RootNode is not YamlScalarNode { Value: null or "" })
                refused.Add(new RefusedRule(source.File, document.RootNode.Start.Line, null, "a rule document must be a mapping"));
        }

        return documents;
    }

    static RuleInfo Describe(YamlMappingNode root, RuleSource source, int? index)
    {
        var file = source.File;
        var line = root.Start.Line;
        var title = Text(root, "title") ?? throw new RuleError("title is required", line);
        if (Child(root, "action") is not null)
            throw new RuleError("Sigma v1 rule collections (action: global/reset/repeat) are not supported", line);
        if (Child(root, "logsource") is YamlMappingNode logsource && Text(logsource, "product") is { } product && !product.Equals("auth0", StringComparison.OrdinalIgnoreCase))
            throw new RuleError($"logsource product '{product}' is not Auth0: the hub only sees Auth0 entries", logsource.Start.Line);
        var stem = Path.GetFileNameWithoutExtension(file);
        var name = Slug(Text(root, "name") ?? (index is { } number ? $"{stem}-{number}" : stem));
        if (!EventName.IsValid(EventPrefix + name))
            throw new RuleError($"the rule's name '{name}' cannot make an event name", line);
        var id = Text(root, "id") ?? DerivedId(file, title);
        return new RuleInfo(id, name, Text(root, "name"), title, Text(root, "level") ?? "informational", Text(root, "status") ?? "experimental", List(root, "tags"), List(root, "equivalents"), file, line, source.BuiltIn);
    }

    /// <summary>Lowercase words of <c>[a-z0-9_-]</c>, so the name can end an event name.</summary>
    static string Slug(string name)
    {
        var slug = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant())
            slug.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '_');
        return slug.ToString();
    }

    /// <summary>Auth0's correlation documents have no id; one derived from where the rule is keeps its alert ids stable.</summary>
    static string DerivedId(string file, string title) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{file}\n{title}")).AsSpan(0, 16)).ToString("D");

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Text(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value.Trim() : null;

    public static IReadOnlyList<string> List(YamlMappingNode node, string key) => Child(node, key) switch
    {
        YamlScalarNode { Value: { Length: > 0 } value } => [value],
        YamlSequenceNode items => [.. items.OfType<YamlScalarNode>().Select(i => i.Value).OfType<string>()],
        _ => [],
    };
}
