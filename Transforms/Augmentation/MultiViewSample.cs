namespace MLNeuro.Transforms;

/// <summary>K views of nearby windows of one recording, all sharing its unit table (see <see cref="AugmentedView"/>).</summary>
/// <param name="SessionId">Session the views come from.</param>
/// <param name="Views">The views, in the order they were drawn.</param>
public sealed record MultiViewSample(string SessionId, IReadOnlyList<AugmentedView> Views);
