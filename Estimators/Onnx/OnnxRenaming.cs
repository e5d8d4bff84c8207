using Google.Protobuf;
using Onnx;

namespace MLNeuro.Estimators;

/// <summary>
/// Renames a graph's inputs and outputs. ML.NET's ApplyOnnxModel binds columns to graph values by name, so a transform
/// that reads or writes columns of the caller's choosing renames the graph's values to match instead of adding column
/// copies around it. An internal value that already carries a wanted name is renamed out of the way first.
/// </summary>
internal static class OnnxRenaming
{
    /// <summary>The names of the graph's inputs (excluding initializers) and outputs.</summary>
    public static (string[] Inputs, string[] Outputs) InputsAndOutputs(byte[] model)
    {
        var graph = Parse(model).Graph ?? throw new InvalidDataException("the ONNX model has no graph");
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return (graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToArray(), graph.Output.Select(o => o.Name).ToArray());
    }

    /// <summary>
    /// The model with every occurrence of each key of <paramref name="renames"/> (graph inputs or outputs) replaced by its
    /// value; renames apply at once, so swaps work. Targets must be distinct.
    /// </summary>
    public static byte[] Rename(byte[] model, IReadOnlyDictionary<string, string> renames)
    {
        var proto = Parse(model);
        var graph = proto.Graph ?? throw new InvalidDataException("the ONNX model has no graph");
        if (renames.Values.Distinct(StringComparer.Ordinal).Count() != renames.Count)
            throw new ArgumentException("two graph values cannot take the same name", nameof(renames));

        var used = new HashSet<string>(StringComparer.Ordinal);
        Collect(graph, used);
        var map = renames.Where(r => r.Key != r.Value).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        // A value that is not renamed but already holds a target name moves to a fresh name.
        var targets = map.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var clash in used.Where(n => targets.Contains(n) && !map.ContainsKey(n)).ToList())
        {
            int k = 0;
            string fresh;
            do fresh = $"{clash}__{++k}"; while (used.Contains(fresh) || targets.Contains(fresh));
            used.Add(fresh);
            map[clash] = fresh;
        }
        if (map.Count == 0) return model;
        Apply(graph, map);
        return proto.ToByteArray();
    }

    private static ModelProto Parse(byte[] model)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"the ONNX model cannot be read: {e.Message}", e);
        }
    }

    private static void Collect(GraphProto graph, HashSet<string> names)
    {
        foreach (var v in graph.Input) names.Add(v.Name);
        foreach (var v in graph.Output) names.Add(v.Name);
        foreach (var v in graph.ValueInfo) names.Add(v.Name);
        foreach (var t in graph.Initializer) names.Add(t.Name);
        foreach (var node in graph.Node)
        {
            foreach (var n in node.Input) names.Add(n);
            foreach (var n in node.Output) names.Add(n);
            foreach (var g in Subgraphs(node)) Collect(g, names);
        }
    }

    private static void Apply(GraphProto graph, Dictionary<string, string> map)
    {
        string Map(string name) => map.TryGetValue(name, out var to) ? to : name;
        foreach (var v in graph.Input) v.Name = Map(v.Name);
        foreach (var v in graph.Output) v.Name = Map(v.Name);
        foreach (var v in graph.ValueInfo) v.Name = Map(v.Name);
        foreach (var t in graph.Initializer) t.Name = Map(t.Name);
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++) node.Input[i] = Map(node.Input[i]);
            for (int i = 0; i < node.Output.Count; i++) node.Output[i] = Map(node.Output[i]);
            // Subgraphs (If, Loop, Scan) may refer to outer values by name.
            foreach (var g in Subgraphs(node)) Apply(g, map);
        }
    }

    private static IEnumerable<GraphProto> Subgraphs(NodeProto node) =>
        node.Attribute.SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Prepend(a.G));
}
