using MLNeuro.Loaders;
using static MLNeuro.Estimators.Tests.DecodingTestData;

namespace MLNeuro.Estimators.Tests;

public sealed class DecodingSplitTests
{
    // ---------- by time ----------

    [Fact]
    public void By_time_the_first_train_fraction_of_the_domain_trains_and_the_rest_evaluates()
    {
        var split = DecodingSplit.Of(Recording("s1", 10, 110), new DecodingSplitOptions { TrainFraction = 0.8 });

        Assert.Equal("s1", split.SessionId);
        AssertInterval(10, 90, DecodingSplit.TrainKind, Assert.Single(split.Train));
        AssertInterval(90, 110, DecodingSplit.EvaluationKind, Assert.Single(split.Evaluation));
        Assert.Empty(split.Validation);
    }

    [Fact]
    public void Default_options_train_on_80_percent_without_validation()
    {
        var split = DecodingSplit.Of(Recording("s1", 0, 50), new DecodingSplitOptions());
        AssertInterval(0, 40, "train", Assert.Single(split.Train));
        AssertInterval(40, 50, "eval", Assert.Single(split.Evaluation));
        Assert.Empty(split.Validation);
    }

    [Fact]
    public void By_time_validation_is_carved_from_the_end_of_the_training_part()
    {
        // Train [10, 90) is 80 s; a quarter of it (20 s) from its end validates: [70, 90).
        var split = DecodingSplit.Of(Recording("s1", 10, 110), new DecodingSplitOptions { TrainFraction = 0.8, ValidationFraction = 0.25 });

        AssertInterval(10, 70, "train", Assert.Single(split.Train));
        AssertInterval(70, 90, "valid", Assert.Single(split.Validation));
        AssertInterval(90, 110, "eval", Assert.Single(split.Evaluation));
    }

    [Fact]
    public void By_time_the_parts_tile_the_domain_and_every_behaviour_sample_lands_in_exactly_one_part()
    {
        // Samples every 0.125 s over [0, 10): samples exactly at the cuts (6 s and 8 s) go to the later part ([start, end)).
        var behavior = Sampled(0, 0.125, 80, ("x", t => (float)t));
        var recording = Recording("s1", 0, 10, behavior);
        var split = DecodingSplit.Of(recording, new DecodingSplitOptions { TrainFraction = 0.8, ValidationFraction = 0.25 });

        var train = BehaviorTargets.Read(recording, ["x"], split.Train);
        var validation = BehaviorTargets.Read(recording, ["x"], split.Validation);
        var evaluation = BehaviorTargets.Read(recording, ["x"], split.Evaluation);
        Assert.Equal(80, train.Count + validation.Count + evaluation.Count);
        Assert.Equal(6, validation.Times[0]);
        Assert.Equal(8, evaluation.Times[0]);
        Assert.True(train.Times.Max() < validation.Times.Min());
        Assert.True(validation.Times.Max() < evaluation.Times.Min());
        Assert.Equal((48, 16, 16), (train.Count, validation.Count, evaluation.Count));
    }

    // ---------- by interval kind ----------

    private static Recording WithEpochs() => Recording("s2", 0, 60, null,
        new Interval(0, 10, "train", "a"), new Interval(20, 30, "train", "b"), new Interval(40, 50, "train", "c"),
        new Interval(10, 20, "test"), new Interval(30, 40, "test"), new Interval(0, 60, "epoch"));

    [Fact]
    public void By_kind_the_recording_intervals_are_used_relabelled_with_their_labels_kept()
    {
        var split = DecodingSplit.Of(WithEpochs(), new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "test" });

        Assert.Equal(3, split.Train.Count);
        AssertInterval(0, 10, "train", split.Train[0], label: "a");
        AssertInterval(40, 50, "train", split.Train[2], label: "c");
        Assert.Equal(2, split.Evaluation.Count);
        AssertInterval(10, 20, "eval", split.Evaluation[0]);
        AssertInterval(30, 40, "eval", split.Evaluation[1]);
        Assert.Empty(split.Validation);
    }

    [Fact]
    public void By_kind_validation_cuts_into_the_last_training_interval()
    {
        // 30 s of training; a quarter is 7.5 s, all from the last interval [40, 50).
        var split = DecodingSplit.Of(WithEpochs(), new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "test", ValidationFraction = 0.25 });

        Assert.Equal(3, split.Train.Count);
        AssertInterval(40, 42.5, "train", split.Train[2], label: "c");
        AssertInterval(42.5, 50, "valid", Assert.Single(split.Validation), label: "c");
        Assert.Equal(30, split.Train.Sum(i => i.DurationSeconds) + split.Validation.Sum(i => i.DurationSeconds), 12);
    }

    [Fact]
    public void By_kind_validation_spanning_several_intervals_takes_whole_ones_from_the_end()
    {
        // Half of 30 s = 15 s: all of [40, 50) and the last 5 s of [20, 30).
        var split = DecodingSplit.Of(WithEpochs(), new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "test", ValidationFraction = 0.5 });

        Assert.Equal(2, split.Train.Count);
        AssertInterval(0, 10, "train", split.Train[0], label: "a");
        AssertInterval(20, 25, "train", split.Train[1], label: "b");
        Assert.Equal(2, split.Validation.Count);
        AssertInterval(25, 30, "valid", split.Validation[0], label: "b");
        AssertInterval(40, 50, "valid", split.Validation[1], label: "c");
    }

    [Fact]
    public void A_missing_kind_is_an_error_naming_the_session_and_the_kinds_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            DecodingSplit.Of(WithEpochs(), new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "eval" }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("'s2'", error.Message);
        Assert.Contains("'eval'", error.Message);
        Assert.Contains("epoch, test, train", error.Message);

        var noTrain = Assert.Throws<ArgumentException>(() =>
            DecodingSplit.Of(WithEpochs(), new DecodingSplitOptions { TrainIntervalKind = "trials", EvaluationIntervalKind = "test" }));
        Assert.Contains("'trials'", noTrain.Message);
        Assert.Contains("'s2'", noTrain.Message);
    }

    // ---------- options ----------

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_train_fraction_outside_0_1_is_an_error_naming_it(double fraction)
    {
        var options = new DecodingSplitOptions { TrainFraction = fraction };
        Assert.Equal(nameof(DecodingSplitOptions.TrainFraction), Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
        Assert.Equal(nameof(DecodingSplitOptions.TrainFraction),
            Assert.Throws<ArgumentOutOfRangeException>(() => DecodingSplit.Of(Recording("s", 0, 1), options)).ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_validation_fraction_outside_0_1_is_an_error_naming_it(double fraction)
    {
        var options = new DecodingSplitOptions { ValidationFraction = fraction };
        Assert.Equal(nameof(DecodingSplitOptions.ValidationFraction), Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }

    [Fact]
    public void Interval_kinds_must_be_set_together()
    {
        Assert.Equal(nameof(DecodingSplitOptions.EvaluationIntervalKind),
            Assert.Throws<ArgumentOutOfRangeException>(new DecodingSplitOptions { TrainIntervalKind = "train" }.Validate).ParamName);
        Assert.Equal(nameof(DecodingSplitOptions.TrainIntervalKind),
            Assert.Throws<ArgumentOutOfRangeException>(new DecodingSplitOptions { EvaluationIntervalKind = "test" }.Validate).ParamName);
        new DecodingSplitOptions { TrainIntervalKind = "train", EvaluationIntervalKind = "test" }.Validate();
    }
}
