using System.Text.Json;
using EventHub.Security.Rules;
using EventHub.TestSupport;
using static EventHub.Security.Tests.SigmaEntries;

namespace EventHub.Security.Tests;

/// <summary>
/// The built-in rules, each with an entry written from Auth0's public log schema that it must match and one that it must
/// not; then the real entries in <c>../shared/fixtures/auth0</c> (Elastic's and Panther's test data) through all of them.
/// </summary>
public sealed class BuiltInRulesTests
{
    static readonly RuleSet BuiltIn = SigmaRuleLoader.Load(RuleSources.BuiltIn());

    static string Sapi(string description, string details) => $$"""{"type":"sapi","description":"{{description}}","details":{{details}}}""";

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "mfa_policy_set_to_never", Sapi("Set the Multi-factor Authentication policies", """{"request":{"path":"/api/v2/guardian/policies","body":[]}}"""), true },
        { "mfa_policy_set_to_never", Sapi("Set the Multi-factor Authentication policies", """{"request":{"body":["all-applications"]}}"""), false },
        { "mfa_policy_changed", Sapi("Update multi-factor authentication policies", """{"request":{"body":["confidence-score"]}}"""), true },
        { "mfa_policy_changed", Sapi("Update multi-factor authentication policies", """{"request":{"body":[]}}"""), false },
        { "mfa_factor_disabled", Sapi("Update multi-factor authentication type", """{"request":{"body":{"enabled":false}}}"""), true },
        { "mfa_factor_disabled", Sapi("Update multi-factor authentication type", """{"request":{"body":{"enabled":true}}}"""), false },
        { "mfa_factor_enabled", Sapi("Update a Multi-factor Authentication Factor", """{"response":{"body":{"enabled":true}}}"""), true },
        { "mfa_factor_enabled", Sapi("Update a Multi-factor Authentication Factor", """{"response":{"body":{"enabled":false}}}"""), false },
        { "mfa_risk_assessment_disabled", Sapi("Updates risk assessment configs", """{"request":{"body":{"AfterAuthentication":false}}}"""), true },
        { "mfa_risk_assessment_disabled", Sapi("Updates risk assessment configs", """{"request":{"body":{"AfterAuthentication":true}}}"""), false },
        { "mfa_risk_assessment_enabled", Sapi("Updates risk assessment configs", """{"request":{"body":{"AfterAuthentication":true}}}"""), true },
        { "mfa_risk_assessment_enabled", Sapi("Updates risk assessment configs", """{"request":{"body":{"AfterAuthentication":false}}}"""), false },
        { "brute_force_protection_weakened", Sapi("Update Brute-force settings", """{"response":{"body":{"enabled":false,"shields":["block"]}}}"""), true },
        { "brute_force_protection_weakened", Sapi("Update Brute-force settings", """{"response":{"body":{"enabled":true,"shields":["user_notification"]}}}"""), true },
        { "brute_force_protection_weakened", Sapi("Update Brute-force settings", """{"response":{"body":{"enabled":true,"shields":["block","user_notification"]}}}"""), false },
        { "suspicious_ip_throttling_weakened", Sapi("Update Suspicious IP Throttling settings", """{"response":{"body":{"enabled":false}}}"""), true },
        { "suspicious_ip_throttling_weakened", Sapi("Update Suspicious IP Throttling settings", """{"response":{"body":{"enabled":true,"shields":["block"]}}}"""), false },
        { "breached_password_detection_weakened", Sapi("Update Breached Password Detection settings", """{"response":{"body":{"enabled":true,"shields":["admin_notification"]}}}"""), true },
        { "breached_password_detection_weakened", Sapi("Update Breached Password Detection settings", """{"response":{"body":{"enabled":true,"shields":["block"]}}}"""), false },
        { "bot_detection_turned_off", Sapi("Create or update the anomaly detection captcha", """{"response":{"statusCode":200,"body":{"policy":"off"}}}"""), true },
        { "bot_detection_turned_off", Sapi("Create or update the anomaly detection captcha", """{"response":{"body":{"policy":"always_on","passwordless_policy":"when_risky"}}}"""), false },
        { "custom_role_created", Sapi("Create a role", """{"request":{"path":"/api/v2/roles"}}"""), true },
        { "custom_role_created", Sapi("Delete a role", """{"request":{"path":"/api/v2/roles/rol_1"}}"""), false },
        { "integration_installed", Sapi("Install an available integration", """{"request":{"path":"/api/v2/integrations/installed"}}"""), true },
        { "integration_installed", Sapi("Update an installed integration", """{}"""), false },
        { "post_login_action_flow_updated", Sapi("Update trigger bindings", """{"request":{"path":"/api/v2/actions/triggers/post-login/bindings"}}"""), true },
        { "post_login_action_flow_updated", Sapi("Update trigger bindings", """{"request":{"path":"/api/v2/actions/triggers/credentials-exchange/bindings"}}"""), false },
        { "tenant_owner_invited", Sapi("Create tenant invitations for a given client", """{"request":{"body":{"roles":["owner"]}}}"""), true },
        { "tenant_owner_invited", Sapi("Create tenant invitations for a given client", """{"request":{"body":{"roles":["viewer - users"]}}}"""), false },
        { "tenant_member_deleted", Sapi("Delete tenant member", """{}"""), true },
        { "tenant_member_deleted", Sapi("Delete a user", """{}"""), false },
        { "user_invitation_created", Sapi("Create invitations to organization", """{"request":{"path":"/api/v2/organizations/org_1/invitations"}}"""), true },
        { "user_invitation_created", Sapi("Create invitations to organization", """{"request":{"path":"/api/v2/organizations/more/org_1/invitations"}}"""), false },
        { "user_joined_tenant", Sapi("Update an invitation", """{"request":{"body":{"state":"accepted"},"auth":{"credentials":{"scopes":["update:tenant_invitations"]}}}}"""), true },
        { "user_joined_tenant", Sapi("Update an invitation", """{"request":{"body":{"state":"declined"},"auth":{"credentials":{"scopes":["update:tenant_invitations"]}}}}"""), false },
        { "leaked_password_login", """{"type":"pwd_leak","user_id":"auth0|1"}""", true },
        { "leaked_password_login", """{"type":"signup_pwd_leak"}""", false },
        { "rate_limit_reached", """{"type":"limit_wc","ip":"203.0.113.7"}""", true },
        { "rate_limit_reached", """{"type":"f"}""", false },
        { "failed_authorization_with_wrong_parameters", """{"type":"f","description":"Callback URL mismatch. http://localhost:3000/callback is not in the list"}""", true },
        { "failed_authorization_with_wrong_parameters", """{"type":"f","description":"Wrong email or password."}""", false },
        { "cross_origin_authentication_enabled", Sapi("Update a client", """{"response":{"body":{"cross_origin_authentication":true}}}"""), true },
        { "cross_origin_authentication_enabled", Sapi("Update a client", """{"response":{"body":{"cross_origin_authentication":false}}}"""), false },
        { "insecure_grant_enabled", Sapi("Update a client", """{"response":{"statusCode":200,"body":{"grant_types":["authorization_code","implicit"]}}}"""), true },
        { "insecure_grant_enabled", Sapi("Update a client", """{"response":{"statusCode":200,"body":{"grant_types":["authorization_code"]}}}"""), false },
        { "error_page_template_unescaped", Sapi("Update tenant settings", """{"response":{"body":{"error_page":{"html":"<p>{{ error_description }}</p>"}}}}"""), true },
        { "error_page_template_unescaped", Sapi("Update tenant settings", """{"response":{"body":{"error_page":{"html":"<p>{{ error_description | escape }}</p>"}}}}"""), false },
        { "management_api_write_scopes_granted", Sapi("Update client grant", """{"request":{"body":{"scope":["read:users","delete:users"]}},"response":{"body":{"audience":"https://example.eu.auth0.com/api/v2/"}}}"""), true },
        { "management_api_write_scopes_granted", Sapi("Update client grant", """{"request":{"body":{"scope":["read:users"]}},"response":{"body":{"audience":"https://example.eu.auth0.com/api/v2/"}}}"""), false },
        { "client_secret_read", """{"type":"mgmt_api_read","description":"Get client by ID","details":{"accessedSecrets":["client_secret"]}}""", true },
        { "client_secret_read", """{"type":"mgmt_api_read","description":"Get client by ID","details":{"accessedSecrets":[]}}""", false },
        { "api_explorer_token_issued", """{"type":"seccft","client_name":"API Explorer Application"}""", true },
        { "api_explorer_token_issued", """{"type":"seccft","client_name":"Billing backend"}""", false },
        { "push_notification_fatigue_entries", """{"type":"gd_send_pn","user_id":"auth0|1"}""", true },
        { "push_notification_fatigue_entries", """{"type":"gd_send_sms","user_id":"auth0|1"}""", false },
        { "sms_bombing_entries", """{"type":"gd_send_sms","description":"Guardian - Second factor sms sent"}""", true },
        { "sms_bombing_entries", """{"type":"gd_send_pn"}""", false },
        { "phone_on_many_users_entries", """{"type":"gd_enrollment_complete","description":"Guardian - Enrollment complete (sms)","details":{"authenticator":{"phone_number":"+15555550100"}}}""", true },
        { "phone_on_many_users_entries", """{"type":"gd_enrollment_complete","description":"Guardian - Enrollment complete (voice)"}""", false },
        { "refresh_token_reuse_entries", """{"type":"ferrt","description":"Unsuccessful Refresh Token exchange, reused refresh token detected"}""", true },
        { "refresh_token_reuse_entries", """{"type":"ferrt","description":"Unauthorized"}""", false },
        { "rapid_dynamic_client_creation_entries", Sapi("Dynamic client registration", """{}"""), true },
        { "rapid_dynamic_client_creation_entries", Sapi("Create a client", """{}"""), false },
        { "signup_fraud_by_volume_entries", """{"type":"fs","ip":"203.0.113.7"}""", true },
        { "signup_fraud_by_volume_entries", """{"type":"s","ip":"203.0.113.7"}""", false },
        { "signup_with_disposable_email_entries", """{"type":"ss","user_name":"x1@Mailinator.com"}""", true },
        { "signup_with_disposable_email_entries", """{"type":"ss","user_name":"x1@example.com"}""", false },
        { "cross_origin_credential_stuffing_entries", """{"type":"fcoa","user_name":"a@example.com"}""", true },
        { "cross_origin_credential_stuffing_entries", """{"type":"f","user_name":"a@example.com"}""", false },
        { "flagged_ip_then_login_entries", """{"type":"pla","details":{"requiresVerification":true}}""", true },
        { "flagged_ip_then_login_entries", """{"type":"pla","details":{"requiresVerification":false}}""", false },
        { "refresh_token_many_locations_entries", """{"type":"sertft","ip":"203.0.113.7"}""", true },
        { "refresh_token_many_locations_entries", """{"type":"fertft"}""", false },
        { "refresh_token_many_user_agents_entries", """{"type":"seacft","user_agent":"curl/8"}""", true },
        { "refresh_token_many_user_agents_entries", """{"type":"seccft"}""", false },
        { "failed_logins", """{"type":"fu","ip":"203.0.113.7","user_name":"a@example.com"}""", true },
        { "failed_logins", """{"type":"s","user_id":"auth0|1"}""", false },
        { "breached_password_entries", """{"type":"reset_pwd_leak","user_id":"auth0|1"}""", true },
        { "breached_password_entries", """{"type":"fp","user_id":"auth0|1"}""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_match_the_entries_each_rule_is_about_and_no_others(string rule, string data, bool expected)
    {
        using var entry = Entry(data);

        Assert.Equal(expected, BuiltIn.Match(entry).Any(r => r.Info.Name == rule));
    }

    [Fact]
    public void Should_load_every_built_in_rule_and_test_each_both_ways()
    {
        Assert.Empty(BuiltIn.Refused);
        var cases = Cases.Select(c => (c.Data.Item1, c.Data.Item3)).ToList();
        foreach (var rule in BuiltIn.Rules)
        {
            Assert.Contains((rule.Info.Name, true), cases);
            Assert.Contains((rule.Info.Name, false), cases);
            Assert.NotEmpty(rule.Info.Equivalents);
        }

        Assert.All(BuiltIn.Correlations, c => Assert.NotEmpty(c.Info.Equivalents));
    }

    [Fact]
    public void Should_run_the_real_auth0_entries_through_every_rule()
    {
        var files = SharedCorpus.Auth0FixtureFiles();
        if (files.Count == 0)
            Assert.Skip("../shared/fixtures/auth0 not found: the built-in rules were not run over real Auth0 entries on this machine.");

        var matched = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = 0;
        foreach (var file in files)
        {
            using var batch = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var item in batch.RootElement.EnumerateArray())
            {
                entries++;
                var logId = item.TryGetProperty("log_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
                using var entry = Entry(item.GetProperty("data").GetRawText(), logId);
                foreach (var rule in BuiltIn.Match(entry))
                    matched[rule.Info.Name] = matched.GetValueOrDefault(rule.Info.Name) + 1;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{entries} entries: " + string.Join(", ", matched.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {m.Value}")));
        // Panther's published test entries for these rules are in the corpus: each must be recognised.
        Assert.All(
            new[] { "post_login_action_flow_updated", "integration_installed", "tenant_owner_invited", "user_invitation_created", "user_joined_tenant", "mfa_policy_set_to_never", "mfa_risk_assessment_disabled", "bot_detection_turned_off", "refresh_token_reuse_entries", "phone_on_many_users_entries", "leaked_password_login", "rate_limit_reached", "signup_fraud_by_volume_entries" },
            name => Assert.True(matched.ContainsKey(name), $"{name} matched no real entry"));
    }
}
