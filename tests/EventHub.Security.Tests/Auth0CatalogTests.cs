using EventHub.Security.Rules;
using EventHub.TestSupport;

namespace EventHub.Security.Tests;

/// <summary>
/// Auth0's Security Detection Catalog (<c>../shared/detections/auth0-catalog</c>) dropped in as an operator's rules folder,
/// read where it is (never copied into the product): what loads, what is refused and why.
/// </summary>
public sealed class Auth0CatalogTests
{
    [Fact]
    public void Should_load_auth0s_catalog_as_an_operator_folder_and_say_what_it_refused_and_why()
    {
        var folder = SharedCorpus.Directory() is { } shared && Directory.Exists(Path.Combine(shared, "detections", "auth0-catalog")) ? Path.Combine(shared, "detections", "auth0-catalog") : null;
        if (folder is null)
            Assert.Skip("../shared/detections/auth0-catalog not found: Auth0's catalog was not loaded on this machine.");
        var refused = new List<RefusedRule>();

        var set = SigmaRuleLoader.Load(RuleSources.BuiltIn().Concat(RuleSources.Folder(folder, refused)), refused);

        var catalog = set.Rules.Where(r => !r.Info.File.StartsWith("builtin/", StringComparison.Ordinal)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"catalog: {catalog.Count} rules, {set.Correlations.Count(c => !c.Info.File.StartsWith("builtin/", StringComparison.Ordinal))} correlations loaded, {set.Refused.Count} refused:\n"
            + string.Join('\n', set.Refused.Select(r => $"  {r.File} line {r.Line}: {r.Reason}")));
        Assert.Equal(33, Directory.GetFiles(folder, "*.yml").Length);
        Assert.All(set.Refused, r => Assert.False(r.File.StartsWith("builtin/", StringComparison.Ordinal)));
        // Tenant-specific placeholders such as {global_client_id} are YAML mappings, not values: refused until filled in.
        Assert.Contains(set.Refused, r => r.File == "client_with_overpermissive_granted_scopes.yml" && r.Reason.Contains("must be a value or a list of values", StringComparison.Ordinal));
        // "At most one verification" only holds when entries are missing.
        Assert.Contains(set.Refused, r => r.File == "many_unverified_accounts_created.yml" && r.Reason.Contains("only holds when entries are missing", StringComparison.Ordinal));
        Assert.Contains(catalog, r => r.Info.File == "sms_bombarding.yml" && r.Alerts);
        Assert.Contains(set.Correlations, c => c.Info.File == "refresh_token_reuse.yml" && c.Type == "event_count" && c.Rules.Single().Info.File == "refresh_token_reuse.yml");
        Assert.True(catalog.Count >= 28, $"only {catalog.Count} of the catalog's rules loaded");
    }
}
