namespace MLNeuro.Estimators;

/// <summary>Which units the decoupled contrastive loss uses as anchors and negatives (<see cref="ObjectiveOptions.Negatives"/>).</summary>
public enum DclNegatives
{
    /// <summary>
    /// NuCLR's reference (sw_contrastive.py with full_denom): anchors = units present in both views of a pair; negatives
    /// of an anchor = every other unit present in the other view (similarity / tau) and in its own view (similarity,
    /// not divided by tau).
    /// </summary>
    Reference,

    /// <summary>MLNeuro's earlier loss: units present in every view are the only anchors and negatives; all similarities / tau.</summary>
    SharedUnits,
}
