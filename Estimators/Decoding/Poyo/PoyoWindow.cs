namespace MLNeuro.Estimators;

/// <summary>
/// One window for a POYO batch: its session, its start (absolute seconds), the output times to decode (absolute,
/// inside the window), and for training the normalised targets at those times ([query, channel], NaN = missing) and
/// which units survive unit dropout (null keeps all) and the loss weight of each output time (null = 1).
/// </summary>
internal sealed record PoyoWindow(PoyoSession Session, double Start, double[] QueryTimes, float[]? Targets = null, bool[]? KeptUnits = null,
    float[]? Weights = null);
