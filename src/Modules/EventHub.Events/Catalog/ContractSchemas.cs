using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Generation;

namespace EventHub.Events.Catalog;

/// <summary>
/// JSON Schemas of contract records, generated from the types themselves with NJsonSchema (so a field added to a record
/// is in the catalog with no list to keep), in the bus's JSON naming (camelCase), once per type.
/// </summary>
internal static class ContractSchemas
{
    static readonly ConcurrentDictionary<Type, JsonNode> Cache = new();
    static readonly SystemTextJsonSchemaGeneratorSettings Settings = new()
    {
        SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
        SchemaType = SchemaType.JsonSchema,
        GenerateAbstractProperties = true,
        // Every field in the record's own schema, not behind an allOf of its base record.
        FlattenInheritanceHierarchy = true,
    };

    public static JsonNode Of(Type contract) =>
        Cache.GetOrAdd(contract, type => JsonNode.Parse(JsonSchema.FromType(type, Settings).ToJson())!);

    /// <summary>A schema that fits every sample payload (NJsonSchema's sample generator over them as one array); null without samples.</summary>
    public static JsonNode? InferredFrom(IReadOnlyList<string> samples)
    {
        if (samples.Count == 0)
            return null;
        var array = JsonNode.Parse(JsonSchema.FromSampleJson("[" + string.Join(',', samples) + "]").ToJson())!.AsObject();
        var definitions = array["definitions"]?.AsObject();
        var items = array["items"] ?? new JsonObject();
        // The generator names the item's object schema as a definition: inline it, keeping the rest for nested $refs.
        var json = (items["$ref"]?.GetValue<string>() is { } reference && definitions?[reference.Split('/')[^1]] is { } target ? target : items).DeepClone().AsObject();
        if (definitions is not null)
            json["definitions"] = definitions.DeepClone();
        return json;
    }
}
