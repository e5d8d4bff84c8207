namespace MLNeuro.Estimators;

/// <summary>How binned spike counts enter the NuCLR encoder's patch projection.</summary>
public enum NuclrInput
{
    /// <summary>Raw counts (the reference NuCLR).</summary>
    Counts,

    /// <summary>log(1 + counts): keeps zero at zero and compresses bursts of busy units.</summary>
    Log1p,
}
