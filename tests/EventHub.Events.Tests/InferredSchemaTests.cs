using System.Text.Json.Nodes;
using EventHub.Events.Catalog;

namespace EventHub.Events.Tests;

/// <summary>The schema the catalog infers from an emitted name's recent payloads: any JSON an application may send.</summary>
public sealed class InferredSchemaTests
{
    [Fact]
    public void Objects_with_different_fields_give_one_object_schema_with_all_of_them()
    {
        var schema = ContractSchemas.InferredFrom(["""{"order":1,"customer":"ada"}""", """{"order":2,"coupon":"WINTER","lines":[{"sku":"a"}]}"""])!;

        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Equal(["coupon", "customer", "lines", "order"], schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("true")]
    public void Payloads_that_are_not_objects_still_give_a_schema(string payload)
    {
        var schema = ContractSchemas.InferredFrom([payload, """{"a":1}"""]);

        Assert.NotNull(schema);
        Assert.IsType<JsonObject>(schema);
    }

    [Fact]
    public void No_samples_give_no_schema() => Assert.Null(ContractSchemas.InferredFrom([]));
}
