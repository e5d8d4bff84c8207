using MLNeuro.Loaders;
using MLNeuro.Loaders.Views;
using MLNeuro.Transforms;
using static TorchSharp.torch;

namespace MLNeuro.Estimators;

/// <summary>
/// Cuts NuCLR pretraining batches (<see cref="NuclrBatch"/>) from in-memory recordings, and the non-overlapping windows
/// used to embed every unit after training. See <see cref="NuclrSamplingOptions"/> for the two placement modes.
/// </summary>
/// <remarks>
/// Whole-domain views come from <see cref="MultiViewSampler"/> (window placement within the offset bound, then
/// <see cref="UnitDropout"/> per view); interval views are placed here over interval indices with the same scheme and
/// the same <see cref="UnitDropout"/>. All draws of a batch come from one <see cref="Random"/> in a fixed order (per row:
/// session, then view placement, then each view's dropout), so a seed fixes the batch. The counts buffer is reused from
/// batch to batch; only the batch's tensors are allocated per call.
/// </remarks>
internal sealed class NuclrBatchSampler
{
    // A patch of 0.4 s at 0.02 s is 19.999999999999996 bins in floating point: floor would lose the last bin.
    private const double BinTolerance = 1e-9;

    private readonly Recording[] _recordings;
    private readonly TimeWindow[][] _regions; // interval mode: the intervals of the kind per recording, in start order
    private readonly MultiViewSampler? _viewSampler;
    private readonly UnitDropout _dropout;
    private readonly Random _random;
    private float[] _counts = Array.Empty<float>();
    private float[] _patchScratch = Array.Empty<float>();
    private float[] _unitScratch = Array.Empty<float>();
    private readonly int[][][] _populations; // per recording: sorted unit indices of each population
    private (int Recording, int Population)[]? _pairs; // WeightSessionsByWindows: every population, with
    private double[]? _cumulativeWindows;              // the running sum of its recording's window counts

    /// <summary>
    /// Creates a sampler over <paramref name="recordings"/>; throws <see cref="ArgumentOutOfRangeException"/> naming a bad
    /// option, and <see cref="ArgumentException"/> naming the session when a recording cannot hold one view (shorter
    /// than the window, fewer intervals than patches, or intervals of unequal bin counts).
    /// </summary>
    public NuclrBatchSampler(IReadOnlyList<Recording> recordings, NuclrSamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        Options = options ?? new NuclrSamplingOptions();
        Options.Validate();
        if (recordings.Count == 0) throw new ArgumentException("at least one recording is needed", nameof(recordings));
        _recordings = recordings.ToArray();
        _dropout = new UnitDropout(new UnitDropoutOptions { MinKeepFraction = Options.MinKeepFraction, MaxKeepFraction = Options.MaxKeepFraction });
        _random = new Random(Options.Seed);
        _regions = new TimeWindow[_recordings.Length][];
        _populations = _recordings.Select(r => NuclrPopulations.Of(r.Units, Options.PopulationColumn)).ToArray();

        if (Options.IntervalKind is null)
        {
            BinsPerPatch = Options.DomainBinsPerPatch;
            _viewSampler = new MultiViewSampler(new MultiViewOptions
            {
                WindowSeconds = Options.WindowSeconds,
                MaxOffsetSeconds = Options.MaxOffsetSeconds,
                ViewCount = Options.Views,
                Augmentations = [_dropout],
            });
            foreach (var r in _recordings)
                if (r.DurationSeconds < Options.WindowSeconds)
                    throw new ArgumentException($"session '{r.SessionId}' lasts {r.DurationSeconds} s, shorter than WindowSeconds ({Options.WindowSeconds} s)", nameof(recordings));
            return;
        }

        int bins = -1;
        for (int i = 0; i < _recordings.Length; i++)
        {
            var r = _recordings[i];
            var regions = WindowSampler.EligibleRegions(r.StartSeconds, r.EndSeconds, r.Intervals, Options.IntervalKind).ToArray();
            if (regions.Length < Options.PatchCount)
                throw new ArgumentException($"session '{r.SessionId}' has {regions.Length} intervals of kind '{Options.IntervalKind}' but a view needs PatchCount = {Options.PatchCount}", nameof(recordings));
            foreach (var region in regions)
            {
                int b = BinsIn(region);
                if (b < 1)
                    throw new ArgumentException($"session '{r.SessionId}': interval [{region.Start}, {region.End}) s of kind '{Options.IntervalKind}' is shorter than one bin ({Options.BinSeconds} s)", nameof(recordings));
                if (bins >= 0 && b != bins)
                    throw new ArgumentException($"session '{r.SessionId}': interval [{region.Start}, {region.End}) s of kind '{Options.IntervalKind}' holds {b} bins but earlier intervals hold {bins}; IntervalKind needs intervals of equal length", nameof(recordings));
                bins = b;
            }
            _regions[i] = regions;
        }
        BinsPerPatch = bins;
    }

    /// <summary>Reads every session of <paramref name="dataset"/> once (spikes and intervals) and samples from them.</summary>
    public static NuclrBatchSampler FromDataset(NeuralDataset dataset, NuclrSamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new NuclrBatchSampler(dataset.ReadRecordings(RecordingParts.Spikes).ToArray(), options);
    }

    /// <summary>The options in use.</summary>
    public NuclrSamplingOptions Options { get; }

    /// <summary>The populations of recording <paramref name="recording"/> (sorted unit indices each).</summary>
    public IReadOnlyList<int[]> PopulationsOf(int recording) => _populations[recording];

    /// <summary>
    /// Windows of recording <paramref name="recording"/> one epoch visits: whole windows of the domain, or whole groups
    /// of PatchCount intervals in interval mode (at least 1: the constructor checked that one view fits).
    /// </summary>
    public int WindowsIn(int recording) => _viewSampler is not null
        ? Math.Max(1, (int)Math.Floor(_recordings[recording].DurationSeconds / Options.WindowSeconds + BinTolerance))
        : Math.Max(1, _regions[recording].Length / Options.PatchCount);

    /// <summary>Windows of every population of every recording: the samples of one reference epoch.</summary>
    public long WindowsPerEpoch() => Enumerable.Range(0, _recordings.Length).Sum(r => (long)WindowsIn(r) * _populations[r].Length);

    /// <summary>The recordings, in the order <see cref="NuclrBatch.SessionIndex"/> refers to.</summary>
    public IReadOnlyList<Recording> Recordings => _recordings;

    /// <summary>Bins per patch (the last dimension of the counts).</summary>
    public int BinsPerPatch { get; }

    private int BinsIn(TimeWindow region) => (int)Math.Floor(region.DurationSeconds / Options.BinSeconds + BinTolerance);

    /// <summary>The next batch from the sampler's own generator (seeded by <see cref="NuclrSamplingOptions.Seed"/>).</summary>
    public NuclrBatch Next() => Next(_random);

    /// <summary>The next batch, every draw from <paramref name="random"/>.</summary>
    public NuclrBatch Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int batch = Options.BatchSize, views = Options.Views, patches = Options.PatchCount, bins = BinsPerPatch;
        int unitStride = patches * bins;

        // Draw everything first: the padded unit count is known only once the rows are chosen.
        var rows = new int[batch];
        var drawn = new (double Start, int FirstInterval, AugmentedView View)[batch, views];
        var subsets = new int[]?[batch];
        for (int b = 0; b < batch; b++)
        {
            int population;
            (rows[b], population) = DrawPopulation(random);
            DrawViews(rows[b], random, drawn, b);
            subsets[b] = DrawSubset(_populations[rows[b]][population], _recordings[rows[b]].Units.Count, random);
        }
        int maxUnits = Enumerable.Range(0, batch).Max(b => subsets[b]?.Length ?? _recordings[rows[b]].Units.Count);

        long total = (long)batch * views * maxUnits * unitStride;
        if (total > Array.MaxLength) throw new InvalidOperationException($"a batch of {total} counts exceeds one array; lower BatchSize");
        if (_counts.Length < total) _counts = new float[total];
        var counts = _counts.AsSpan(0, (int)total);
        counts.Clear();
        var mask = new bool[batch * views * maxUnits];
        var starts = new double[batch * views];
        var firsts = new long[batch * views];

        for (int b = 0; b < batch; b++)
        {
            var recording = _recordings[rows[b]];
            int units = recording.Units.Count;
            for (int v = 0; v < views; v++)
            {
                var (start, first, view) = drawn[b, v];
                int slot = b * views + v;
                starts[slot] = start;
                firsts[slot] = first;
                var slotCounts = counts.Slice(slot * maxUnits * unitStride, maxUnits * unitStride);
                var subset = subsets[b];
                // Without a subset, units are binned in place; with one, all are binned into scratch and the chosen
                // rows are packed to the front, so the padded unit dimension is at most MaxUnitsPerSample.
                var target = subset is null ? slotCounts.Slice(0, units * unitStride) : UnitScratch(units * unitStride);
                // The view's spikes already lack the dropped units, so their rows stay zero.
                if (first < 0) SpikeBinning.CountInto(view.Recording.Spikes, start, Options.BinSeconds, unitStride, target);
                else BinIntervals(view.Recording.Spikes, _regions[rows[b]], first, units, target);
                if (subset is null)
                {
                    foreach (int u in view.KeptUnits) mask[slot * maxUnits + u] = IsToken(slotCounts.Slice(u * unitStride, unitStride));
                    continue;
                }
                var kept = new bool[units];
                foreach (int u in view.KeptUnits) kept[u] = true;
                for (int i = 0; i < subset.Length; i++)
                {
                    var row = slotCounts.Slice(i * unitStride, unitStride);
                    target.Slice(subset[i] * unitStride, unitStride).CopyTo(row);
                    mask[slot * maxUnits + i] = kept[subset[i]] && IsToken(row);
                }
            }
        }

        using var scope = NewDisposeScope();
        var countsTensor = empty(new long[] { batch, views, maxUnits, patches, bins }, ScalarType.Float32);
        countsTensor.data<float>().CopyFrom(counts);
        var result = new NuclrBatch(
            countsTensor,
            tensor(mask, new long[] { batch, views, maxUnits }),
            tensor(rows.Select(r => (long)r).ToArray(), new long[] { batch }),
            tensor(starts, new long[] { batch, views }),
            tensor(firsts, new long[] { batch, views }),
            rows.Select(r => _recordings[r].SessionId).ToArray());
        result.Counts.MoveToOuterDisposeScope();
        result.UnitMask.MoveToOuterDisposeScope();
        result.SharedUnitMask.MoveToOuterDisposeScope();
        result.SessionIndex.MoveToOuterDisposeScope();
        result.WindowStarts.MoveToOuterDisposeScope();
        result.FirstIntervals.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>A cleared scratch span of <paramref name="length"/> counts (the batch buffer is cleared once per batch; this one per view).</summary>
    private Span<float> UnitScratch(int length)
    {
        if (_unitScratch.Length < length) _unitScratch = new float[length];
        var span = _unitScratch.AsSpan(0, length);
        span.Clear();
        return span;
    }

    /// <summary>Whether a kept unit's counts row makes it a token: any spike, or always without ActiveUnitsOnly.</summary>
    private bool IsToken(ReadOnlySpan<float> row) => !Options.ActiveUnitsOnly || row.ContainsAnyExcept(0f);

    /// <summary>
    /// The recording and population of a sample: with WeightSessionsByWindows, every window of every population equally
    /// likely (one draw); otherwise a recording uniformly, then one of its populations uniformly (no draw when it has
    /// one, so a dataset without populations draws exactly as before populations existed).
    /// </summary>
    private (int Recording, int Population) DrawPopulation(Random random)
    {
        if (!Options.WeightSessionsByWindows)
        {
            int row = random.Next(_recordings.Length);
            return (row, _populations[row].Length > 1 ? random.Next(_populations[row].Length) : 0);
        }
        if (_pairs is null)
        {
            var pairs = new List<(int, int)>();
            var cumulative = new List<double>();
            double sum = 0;
            for (int r = 0; r < _recordings.Length; r++)
                for (int p = 0; p < _populations[r].Length; p++)
                {
                    pairs.Add((r, p));
                    cumulative.Add(sum += WindowsIn(r));
                }
            _pairs = pairs.ToArray();
            _cumulativeWindows = cumulative.ToArray();
        }
        double x = random.NextDouble() * _cumulativeWindows![^1];
        int index = Array.BinarySearch(_cumulativeWindows, x);
        // BinarySearch gives the complement of the first larger element when x is not an exact sum; an exact hit belongs to the next pair.
        index = index < 0 ? ~index : index + 1;
        return _pairs[Math.Min(index, _pairs.Length - 1)];
    }

    /// <summary>
    /// The sorted unit indices a sample keeps: its population, reduced to a uniform subset of MaxUnitsPerSample units
    /// (shared by all its views, drawn after the views) when it is larger; null when that is every unit of the recording.
    /// </summary>
    private int[]? DrawSubset(int[] population, int units, Random random)
    {
        int? max = Options.MaxUnitsPerSample;
        if (max is null || population.Length <= max) return population.Length == units ? null : population;
        var all = (int[])population.Clone();
        random.Shuffle(all);
        var subset = all[..max.Value];
        Array.Sort(subset);
        return subset;
    }

    private void DrawViews(int row, Random random, (double, int, AugmentedView)[,] drawn, int b)
    {
        var recording = _recordings[row];
        if (_viewSampler is not null)
        {
            var sample = _viewSampler.Sample(recording, random);
            for (int v = 0; v < Options.Views; v++) drawn[b, v] = (sample.Views[v].StartSeconds, -1, sample.Views[v]);
            return;
        }

        // MultiViewSampler's placement, in interval indices: a span of at most MaxOffsetIntervals placed uniformly,
        // then each view's first interval uniform inside it, so every pair of views is within the bound.
        var regions = _regions[row];
        int room = regions.Length - Options.PatchCount;
        int span = Math.Min(Options.MaxOffsetIntervals, room);
        int spanStart = random.Next(room - span + 1);
        var firsts = new int[Options.Views];
        for (int v = 0; v < firsts.Length; v++) firsts[v] = spanStart + random.Next(span + 1);
        for (int v = 0; v < firsts.Length; v++)
        {
            int first = firsts[v];
            var cut = recording.Slice(regions[first].Start, regions[first + Options.PatchCount - 1].End);
            var view = _dropout.Apply(AugmentedView.Of(cut), random);
            drawn[b, v] = (regions[first].Start, first, view);
        }
    }

    /// <summary>Bins intervals first .. first + PatchCount - 1 of a view into the units x (patches x bins) layout.</summary>
    private void BinIntervals(SpikeTrain spikes, TimeWindow[] regions, int first, int units, Span<float> target)
    {
        int patches = Options.PatchCount, bins = BinsPerPatch;
        // CountInto writes units x bins for one patch; a scratch buffer re-strides it into the patch layout.
        if (_patchScratch.Length < units * bins) _patchScratch = new float[units * bins];
        var scratch = _patchScratch.AsSpan(0, units * bins);
        for (int p = 0; p < patches; p++)
        {
            scratch.Clear();
            SpikeBinning.CountInto(spikes, regions[first + p].Start, Options.BinSeconds, bins, scratch);
            for (int u = 0; u < units; u++)
                scratch.Slice(u * bins, bins).CopyTo(target.Slice((u * patches + p) * bins, bins));
        }
    }

    /// <summary>
    /// Non-overlapping windows tiling a recording, each with every unit: whole-domain mode, consecutive windows of
    /// <see cref="NuclrSamplingOptions.WindowSeconds"/> from the domain start (a remainder shorter than a window is
    /// skipped); interval mode, consecutive groups of PatchCount intervals (a last incomplete group is skipped). Each
    /// tensor is float32 [1, units, patches, binsPerPatch], owned by the caller. Used by embedding: average each unit's
    /// embedding over the windows.
    /// </summary>
    public IEnumerable<(string SessionId, Tensor Counts)> EvaluationWindows(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var regions = RegionsOf(recording);
        var starts = EvaluationWindowStarts(recording, regions);
        return Enumerate(recording, regions, starts);
    }

    private IEnumerable<(string SessionId, Tensor Counts)> Enumerate(Recording recording, TimeWindow[]? regions, (double Start, int First)[] starts)
    {
        int units = recording.Units.Count, patches = Options.PatchCount, bins = BinsPerPatch;
        foreach (var buffer in EnumerateCounts(recording, regions, starts))
            yield return (recording.SessionId, tensor(buffer, new long[] { 1, units, patches, bins }));
    }

    /// <summary>
    /// The windows of <see cref="EvaluationWindows"/> as flat [units, patches, binsPerPatch] float counts, without
    /// TorchSharp (ONNX scoring must run without libtorch). The same buffer is refilled for every window: copy it to keep it.
    /// </summary>
    internal IEnumerable<float[]> EvaluationWindowCounts(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var regions = RegionsOf(recording);
        return EnumerateCounts(recording, regions, EvaluationWindowStarts(recording, regions));
    }

    private IEnumerable<float[]> EnumerateCounts(Recording recording, TimeWindow[]? regions, (double Start, int First)[] starts)
    {
        int units = recording.Units.Count, patches = Options.PatchCount, bins = BinsPerPatch;
        var buffer = new float[units * patches * bins]; // one window at a time: memory stays O(units x window)
        foreach (var (start, first) in starts)
        {
            Array.Clear(buffer);
            if (regions is null) SpikeBinning.CountInto(recording.Spikes, start, Options.BinSeconds, patches * bins, buffer);
            else BinIntervals(recording.Spikes, regions, first, units, buffer);
            yield return buffer;
        }
    }

    /// <summary>The evaluation windows' starts in seconds and first interval indices (-1 in whole-domain mode).</summary>
    internal (double Start, int First)[] EvaluationWindowStarts(Recording recording) => EvaluationWindowStarts(recording, RegionsOf(recording));

    private TimeWindow[]? RegionsOf(Recording recording)
    {
        if (Options.IntervalKind is null) return null;
        var regions = WindowSampler.EligibleRegions(recording.StartSeconds, recording.EndSeconds, recording.Intervals, Options.IntervalKind).ToArray();
        foreach (var region in regions)
            if (BinsIn(region) != BinsPerPatch)
                throw new ArgumentException($"session '{recording.SessionId}': interval [{region.Start}, {region.End}) s of kind '{Options.IntervalKind}' holds {BinsIn(region)} bins, not {BinsPerPatch}", nameof(recording));
        return regions;
    }

    private (double Start, int First)[] EvaluationWindowStarts(Recording recording, TimeWindow[]? regions)
    {
        var starts = new List<(double, int)>();
        if (regions is not null)
        {
            for (int first = 0; first + Options.PatchCount <= regions.Length; first += Options.PatchCount)
                starts.Add((regions[first].Start, first));
            return starts.ToArray();
        }
        double window = Options.WindowSeconds;
        // Multiply rather than accumulate, so window k starts exactly at start + k * window.
        for (int k = 0; recording.StartSeconds + (k + 1) * window <= recording.EndSeconds + BinTolerance; k++)
            starts.Add((recording.StartSeconds + k * window, -1));
        return starts.ToArray();
    }
}
