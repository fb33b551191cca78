namespace EventHub.TestSupport;

/// <summary>
/// (pattern, routing key, does RabbitMQ route it) — the table both the pure pattern tests and the real-broker comparison
/// run, so the hub's matching is checked against RabbitMQ itself.
/// </summary>
public static class TopicPatternCases
{
    public static IReadOnlyList<(string Pattern, string Name, bool Matches)> All { get; } =
    [
        ("order.placed", "order.placed", true),
        ("order.placed", "order.placed.eu", false),
        ("order.placed", "order", false),
        ("order.*", "order.placed", true),
        ("order.*", "order", false),
        ("order.*", "order.placed.eu", false),
        ("*.placed", "order.placed", true),
        ("*.placed", "placed", false),
        ("*", "order", true),
        ("*", "order.placed", false),
        ("#", "order", true),
        ("#", "order.placed.eu", true),
        ("order.#", "order", true),
        ("order.#", "order.placed", true),
        ("order.#", "order.placed.eu.x", true),
        ("order.#", "orders.placed", false),
        ("#.placed", "placed", true),
        ("#.placed", "order.placed", true),
        ("#.placed", "a.b.c.placed", true),
        ("#.placed", "order.placed.x", false),
        ("a.#.z", "a.z", true),
        ("a.#.z", "a.b.c.z", true),
        ("a.#.z", "a.b.c", false),
        ("a.*.#", "a", false),
        ("a.*.#", "a.b", true),
        ("a.*.#", "a.b.c.d", true),
        ("#.#", "a", true),
        ("#.*.#", "a.b", true),
        ("*.*", "a", false),
        ("*.*", "a.b", true),
        ("auth0.auth.login.fail.*", "auth0.auth.login.fail.f", true),
        ("auth0.auth.login.fail.*", "auth0.auth.login.success.s", false),
        ("auth0.auth.login.fail.#", "auth0.auth.login.fail.fp", true),
        ("auth0.#", "auth0.other.pwd_leak", true),
        ("auth0.#.f", "auth0.auth.login.fail.f", true),
        ("auth0.*.f", "auth0.auth.login.fail.f", false),
        ("order-v2.placed_eu", "order-v2.placed_eu", true),
        ("order-v2.*", "order.placed", false),
    ];
}
