namespace MLNeuro.Estimators;

/// <summary>The optimizer of MLNeuro's training loop (<see cref="TrainingOptions.Optimizer"/>).</summary>
public enum TrainingOptimizer
{
    /// <summary>AdamW (decoupled weight decay on weight matrices only; none on norms, biases and embeddings). The default.</summary>
    AdamW,

    /// <summary>
    /// LAMB as POYO's reference trains (torch_brain's <c>SparseLamb</c>, <c>examples/poyo/utils.py</c>): Adam moments
    /// without bias correction, the update m/(sqrt(v)+1e-6) + wd·w scaled per parameter tensor by the trust ratio
    /// ||w|| / ||update|| (||w|| clamped to at most 10; ratio 1 when either norm is zero), weight decay on every
    /// parameter, and the unit and session embeddings updated only in the rows that received a gradient.
    /// </summary>
    Lamb,
}
