using static EventHub.Security.Tests.SigmaEntries;

namespace EventHub.Security.Tests;

/// <summary>The Sigma detection features one by one, each with an entry that matches and one that does not.</summary>
public sealed class SigmaMatchingTests
{
    const string Failure = """{"type":"f","description":"Wrong email or password.","ip":"203.0.113.7","user_name":"Alice@Example.com","details":{"scopes":["openid","update:users"],"roles":[{"name":"owner"}],"count":12,"empty":[]},"isMobile":false,"user_agent":null}""";

    [Theory]
    [InlineData("data.type: f", true)]
    [InlineData("data.type: F", true)]
    [InlineData("data.type: fp", false)]
    [InlineData("data.type: [fp, f]", true)]
    [InlineData("data.user_name: alice@example.com", true)]
    [InlineData("data.user_name|cased: alice@example.com", false)]
    [InlineData("data.user_name|cased: Alice@Example.com", true)]
    [InlineData("data.description: 'Wrong*'", true)]
    [InlineData("data.description: 'Wrong?email*'", true)]
    [InlineData("data.description: 'Wrong email'", false)]
    [InlineData("data.description|contains: 'email or'", true)]
    [InlineData("data.description|contains: 'password!'", false)]
    [InlineData("data.description|startswith: 'wrong'", true)]
    [InlineData("data.description|startswith: 'password'", false)]
    [InlineData("data.description|endswith: 'password.'", true)]
    [InlineData("data.description|endswith: 'wrong'", false)]
    [InlineData("data.description|contains|all: [wrong, password]", true)]
    [InlineData("data.description|contains|all: [wrong, token]", false)]
    [InlineData("data.description|re: '^Wrong (email|user)'", true)]
    [InlineData("data.description|re: '^wrong'", false)]
    [InlineData("data.description|re|i: '^wrong'", true)]
    [InlineData("data.description|re: '(?<=Wrong )email'", true)]
    [InlineData("data.ip|cidr: 203.0.113.0/24", true)]
    [InlineData("data.ip|cidr: [198.51.100.0/24, 2001:db8::/32]", false)]
    [InlineData("data.details.count|gte: 12", true)]
    [InlineData("data.details.count|gt: 12", false)]
    [InlineData("data.details.count|lt: 13", true)]
    [InlineData("data.ip|exists: true", true)]
    [InlineData("data.hostname|exists: true", false)]
    [InlineData("data.hostname|exists: false", true)]
    [InlineData("data.hostname: null", true)]
    [InlineData("data.user_agent: null", true)]
    [InlineData("data.ip: null", false)]
    [InlineData("data.isMobile: false", true)]
    [InlineData("data.details.scopes{}: 'update:users'", true)]
    [InlineData("data.details.scopes{}|startswith: 'delete:'", false)]
    [InlineData("data.details.scopes: openid", true)]
    [InlineData("data.details.roles{}.name: owner", true)]
    [InlineData("data.details.roles{}.name: admin", false)]
    [InlineData("data.details.empty{}|exists: true", false)]
    [InlineData("log_id|endswith: '0001'", true)]
    [InlineData("type: f", true)]
    [InlineData("data.description: 'Wrong email or password\\.'", false)]
    public void Should_match_a_field_as_the_sigma_spec_says(string selection, bool expected) =>
        Assert.Equal(expected, Matches(selection, Failure));

    [Fact]
    public void Should_take_a_backslash_before_a_wildcard_as_the_character_itself()
    {
        Assert.True(Matches(@"data.description: 'What\?'", """{"description":"What?"}"""));
        Assert.False(Matches(@"data.description: 'What\?'", """{"description":"Whatx"}"""));
        Assert.True(Matches(@"data.path: 'C:\dir\*'", """{"path":"C:\\dir*"}"""));
        Assert.False(Matches(@"data.path: 'C:\dir\*'", """{"path":"C:\\directory"}"""));
    }

    [Fact]
    public void Should_match_any_map_of_a_list_of_maps()
    {
        const string either = """
            - data.type: s
            - data.type: f
              data.ip: 203.0.113.7
            """;

        Assert.True(Matches(either, Failure));
        Assert.False(Matches(either, """{"type":"f","ip":"198.51.100.1"}"""));
    }

    [Theory]
    [InlineData("selection and not filter_ip", false)]
    [InlineData("selection and filter_ip", true)]
    [InlineData("not selection or filter_ip", true)]
    [InlineData("not (selection and filter_ip)", false)]
    [InlineData("not selection and filter_ip or other", false)]
    [InlineData("(selection or other) and not filter_none", true)]
    [InlineData("1 of filter*", true)]
    [InlineData("all of filter*", false)]
    [InlineData("1 of them", true)]
    [InlineData("all of them", false)]
    [InlineData("all of selection* and filter_ip", true)]
    public void Should_combine_selections_as_the_condition_says(string condition, bool expected)
    {
        var rule = Single(Load($"""
            title: Conditions
            logsource: {"{"}product: auth0{"}"}
            detection:
                selection:
                    data.type: f
                filter_ip:
                    data.ip: 203.0.113.7
                filter_none:
                    data.ip: 192.0.2.1
                other:
                    data.type: s
                condition: {condition}
            """));

        Assert.Equal(expected, rule.Condition.Matches(Entry(Failure)));
    }

    [Fact]
    public void Should_take_a_list_of_conditions_as_their_or()
    {
        var rule = Single(Load("""
            title: Two conditions
            detection:
                login: {data.type: s}
                failure: {data.type: f}
                condition:
                    - login
                    - failure
            """));

        Assert.True(rule.Condition.Matches(Entry(Failure)));
        Assert.False(rule.Condition.Matches(Entry("""{"type":"ss"}""")));
    }

    [Fact]
    public void Should_report_the_selections_that_matched()
    {
        var rule = Single(Load("""
            title: Which selection
            detection:
                by_type: {data.type: f}
                by_ip: {data.ip: 203.0.113.7}
                by_user: {data.user_name: bob@example.com}
                condition: 1 of by_*
            """));

        Assert.Equal(["by_type", "by_ip"], rule.MatchedSelections(Entry(Failure)));
    }

    [Fact]
    public void Should_not_stall_on_a_hostile_regular_expression_or_a_payload_that_is_not_json()
    {
        var rule = Single(Load(Rule("data.description|re: '^(a+)+$'")));

        Assert.False(rule.Condition.Matches(Entry("""{"type":"f","description":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}""")));
        Assert.False(rule.Condition.Matches(new Rules.SigmaEntry("x", "f", "not json {")));
    }
}
