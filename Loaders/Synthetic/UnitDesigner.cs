namespace MLNeuro.Loaders.Synthetic;

/// <summary>
/// Decides the units of a session: regions split evenly, cell types and tuning in the same proportions in every region
/// (so labels are independent of each other), unit order shuffled (so the index says nothing), and each unit's
/// parameters drawn around its type's means as shifted for the subject.
/// </summary>
internal static class UnitDesigner
{
    /// <summary>Velocity at which a velocity-tuned unit's log rate changes by its gain, in arena sides per second.</summary>
    public const double VelocityReference = 0.2;

    /// <summary>Draws the units of one session.</summary>
    public static UnitModel[] Design(SyntheticOptions options, int subject, int session, SubjectProfile profile, SessionGrid grid)
    {
        var layoutRng = SeedSequence.Generator(options.Seed, SeedSequence.LayoutStream, subject, session);
        var slots = Layout(options, ref layoutRng);
        var units = new UnitModel[slots.Count];
        for (int i = 0; i < units.Length; i++)
        {
            var rng = SeedSequence.Generator(options.Seed, SeedSequence.UnitParameterStream, subject, session, i);
            units[i] = Draw(options, slots[i], profile, grid, ref rng);
        }
        return units;
    }

    private static List<(int Region, int Type, string Tuning)> Layout(SyntheticOptions options, ref Xoshiro256StarStar rng)
    {
        int regions = options.Regions.Count;
        var perRegion = new int[regions];
        for (int r = 0; r < regions; r++) perRegion[r] = options.UnitsPerSession / regions;
        var order = Enumerable.Range(0, regions).ToArray();
        Shuffle(order, ref rng);
        for (int k = 0; k < options.UnitsPerSession % regions; k++) perRegion[order[k]]++;

        // Cell types are apportioned over the whole session (so every type appears once a session has a unit per
        // type's share, even when regions are small), then dealt to regions in turn so each region gets nearly the
        // same mix: region never predicts cell type.
        var sessionTypes = Apportion(CellTypeProfile.All.Select(p => p.Share).ToArray(), options.UnitsPerSession);
        var typesByRegion = Enumerable.Range(0, regions).Select(_ => new List<int>()).ToArray();
        int next = 0;
        foreach (var type in sessionTypes)
        {
            while (typesByRegion[order[next % regions]].Count >= perRegion[order[next % regions]]) next++;
            typesByRegion[order[next % regions]].Add(type);
            next++;
        }

        var slots = new List<(int, int, string)>(options.UnitsPerSession);
        foreach (var r in Enumerable.Range(0, regions))
        {
            int n = perRegion[r];
            var types = typesByRegion[r].ToArray();
            Shuffle(types, ref rng);
            int tuned = (int)Math.Round(options.TunedFraction * n, MidpointRounding.AwayFromZero);
            int place = (int)Math.Round(options.PlaceTunedShare * tuned, MidpointRounding.AwayFromZero);
            var tuning = new string[n];
            for (int k = 0; k < n; k++)
                tuning[k] = k < place ? SyntheticLabels.PlaceTuning : k < tuned ? SyntheticLabels.VelocityTuning : SyntheticLabels.NoTuning;
            Shuffle(tuning, ref rng);
            for (int k = 0; k < n; k++) slots.Add((r, types[k], tuning[k]));
        }
        var array = slots.ToArray();
        Shuffle(array, ref rng);
        return array.ToList();
    }

    /// <summary>Largest-remainder apportionment of n items to shares: counts within one of share * n.</summary>
    private static int[] Apportion(double[] shares, int n)
    {
        var counts = shares.Select(s => (int)Math.Floor(s * n)).ToArray();
        var byRemainder = Enumerable.Range(0, shares.Length).OrderByDescending(k => shares[k] * n - counts[k]).ThenBy(k => k).ToArray();
        for (int k = 0; counts.Sum() < n; k++) counts[byRemainder[k % shares.Length]]++;
        var items = new int[n];
        int at = 0;
        for (int k = 0; k < counts.Length; k++)
            for (int c = 0; c < counts[k]; c++) items[at++] = k;
        return items;
    }

    private static void Shuffle<T>(T[] items, ref Xoshiro256StarStar rng)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static UnitModel Draw(SyntheticOptions options, (int Region, int Type, string Tuning) slot, SubjectProfile profile,
        SessionGrid grid, ref Xoshiro256StarStar rng)
    {
        var type = CellTypeProfile.All[slot.Type];
        var signature = RegionSignature.For(options.Regions[slot.Region]);
        double recoveryScale = profile.RecoveryScale[slot.Type];
        var unit = new UnitModel { Region = slot.Region, CellType = slot.Type, Tuning = slot.Tuning };

        // History: refractory period around the subject-shifted type mean, clamped to the type's documented range.
        double refractoryMs = Math.Clamp(type.RefractoryMs * profile.RefractoryScale[slot.Type] + type.RefractoryJitterMs * rng.Uniform(-1, 1),
            type.RefractoryMinMs, type.RefractoryMaxMs);
        unit.RefractorySeconds = refractoryMs / 1000;
        unit.DeadSeconds = unit.RefractorySeconds;
        unit.RecoverySeconds = type.RecoveryMs * recoveryScale * Math.Exp(0.15 * rng.NextGaussian()) / 1000;
        unit.RecoveryPower = type.RecoveryPower;
        unit.AdaptationStep = type.AdaptationStep * Math.Exp(0.2 * rng.NextGaussian());
        unit.AdaptationSeconds = type.AdaptationMs * recoveryScale * Math.Exp(0.2 * rng.NextGaussian()) / 1000;

        double eventRate = Math.Exp(Math.Log(type.RateMedianHz) + profile.LogRateShift[slot.Type] + type.RateLogSigma * rng.NextGaussian());
        unit.ModelRateHz = eventRate;
        unit.EventRateHz = eventRate;
        if (type.Bursts)
        {
            unit.Bursts = true;
            unit.MaxBurstSpikes = 4 + rng.NextInt(3);
            unit.BurstIsiSeconds = Math.Clamp(CellTypeProfile.BurstIsiBaseMs + profile.BurstIsiShiftMs + 0.5 * rng.NextGaussian(),
                CellTypeProfile.BurstIsiMinMs, 6) / 1000;
            unit.BurstIsiGrowthSeconds = CellTypeProfile.BurstIsiGrowthMs * Math.Exp(0.2 * rng.NextGaussian()) / 1000;
            unit.DeadSeconds = CellTypeProfile.BurstPauseMs * recoveryScale * Math.Exp(0.2 * rng.NextGaussian()) / 1000;
            double meanSize = CellTypeProfile.SingleSpikeShare + (1 - CellTypeProfile.SingleSpikeShare) * (2 + unit.MaxBurstSpikes) / 2.0;
            unit.ModelRateHz = eventRate * meanSize;
        }

        // Latent loadings: positive on the slow, fast and arousal factors; on the oscillation, an amplitude and a phase
        // scattered around the region's preferred phase. Same distributions in every region and cell type, so mean
        // rates do not reveal the region; who co-fluctuates with whom, and at which timescales, does.
        double gain = Math.Clamp(Math.Exp(0.25 * rng.NextGaussian()), 0.5, 1.8);
        double amplitude = gain * rng.Uniform(0.2, 0.45);
        double phase = signature.PreferredPhase + 0.7 * rng.NextGaussian();
        var w = unit.Loadings;
        w[SessionGrid.Slow] = gain * rng.Uniform(0.3, 0.55);
        w[SessionGrid.OscCos] = amplitude * Math.Cos(phase);
        w[SessionGrid.OscSin] = amplitude * Math.Sin(phase);
        w[SessionGrid.Fast] = gain * rng.Uniform(0.1, 0.3);
        w[SessionGrid.Arousal] = rng.Uniform(0.1, 0.3);

        double side = options.ArenaSizeMeters;
        if (unit.HasPlaceField)
        {
            unit.PlaceX = side * rng.Uniform(0.1, 0.9);
            unit.PlaceY = side * rng.Uniform(0.1, 0.9);
            double sigma = side * rng.Uniform(0.08, 0.15);
            unit.PlaceInvTwoSigmaSq = 1 / (2 * sigma * sigma);
            unit.PlaceGain = rng.Uniform(Math.Log(4), Math.Log(10));
        }
        else if (unit.HasVelocityTuning)
        {
            double direction = rng.Uniform(0, 2 * Math.PI);
            double perMetrePerSecond = rng.Uniform(0.5, 1.0) / (VelocityReference * side);
            unit.VelocityX = perMetrePerSecond * Math.Cos(direction);
            unit.VelocityY = perMetrePerSecond * Math.Sin(direction);
            unit.PreferredDirectionDegrees = direction * 180 / Math.PI;
        }

        // E[exp(w.z)] = exp(|w|^2 / 2) for the unit-variance latents; the tuning's mean gain is measured on this
        // session's trajectory. Dividing both out keeps the mean rate near the target whatever the loadings and tuning.
        double variance = 0;
        foreach (var wk in w) variance += wk * wk;
        unit.LogRateOffset = Math.Log(eventRate) - variance / 2 - MeanTuningLogGain(unit, grid, options.DurationSeconds);
        return unit;
    }

    private static double MeanTuningLogGain(UnitModel unit, SessionGrid grid, double duration)
    {
        if (unit.Tuning == SyntheticLabels.NoTuning) return 0;
        var path = grid.Trajectory;
        int last = Math.Min(grid.Steps - 1, (int)(duration / SessionGrid.StepSeconds));
        double sum = 0;
        int n = 0;
        for (int i = 0; i <= last; i += 20) // every 100 ms: plenty for a mean over minutes
        {
            sum += Math.Exp(unit.TuningTerm(path.X[i], path.Y[i], path.Vx[i], path.Vy[i]));
            n++;
        }
        return Math.Log(sum / n);
    }
}
