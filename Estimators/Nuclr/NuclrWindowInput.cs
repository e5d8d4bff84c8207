namespace MLNeuro.Estimators;

/// <summary>One pass of NuCLR embedding over a window (see <see cref="NuclrEmbedder.WindowInputs"/>).</summary>
/// <param name="Counts">The window's [units, patches, binsPerPatch] counts flattened row-major (the graph's <c>counts</c> input).</param>
/// <param name="UnitGroup">Each unit's population in this pass (the graph's <c>unit_group</c> input): units sharing a value
/// g &gt;= 0 are embedded together, -1 leaves a unit out.</param>
/// <param name="WindowIndex">The window's position in its session.</param>
/// <param name="DrawIndex">The pass within the window (several only when a training cap splits populations).</param>
public sealed record NuclrWindowInput(float[] Counts, float[] UnitGroup, int WindowIndex, int DrawIndex);
