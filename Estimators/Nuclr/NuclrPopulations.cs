using MLNeuro.Loaders;

namespace MLNeuro.Estimators;

/// <summary>
/// The populations of a recording: its units split by the value of <see cref="NuclrSamplingOptions.PopulationColumn"/>
/// (a probe or electrode group), each a sorted array of unit indices, in order of first appearance. One population of
/// every unit when the column is unset or no unit has a value.
/// </summary>
internal static class NuclrPopulations
{
    public static int[][] Of(UnitTable units, string? column)
    {
        ArgumentNullException.ThrowIfNull(units);
        int count = units.Count;
        if (column is null || !Enumerable.Range(0, count).Any(u => units[u].GetMetadata(column) is not null))
            return [Enumerable.Range(0, count).ToArray()];
        var order = new List<string>();
        var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int u = 0; u < count; u++)
        {
            // Units without a value share one population: they may well be on one probe, and dropping them would lose units.
            var key = units[u].GetMetadata(column) ?? "";
            if (!members.TryGetValue(key, out var list))
            {
                members[key] = list = new List<int>();
                order.Add(key);
            }
            list.Add(u);
        }
        return order.Select(k => members[k].ToArray()).ToArray();
    }
}
