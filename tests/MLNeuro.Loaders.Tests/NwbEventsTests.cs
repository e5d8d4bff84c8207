using MLNeuro.Loaders.Import;
using PureHDF;

namespace MLNeuro.Loaders.Tests;

/// <summary>Event and TTL series under <c>/acquisition</c> read as intervals.</summary>
public sealed class NwbEventsTests
{
    [Fact]
    public void Event_codes_become_point_intervals_labelled_with_the_code_and_zero_marks_no_event()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["acquisition"] = new H5Group
        {
            // As in the DANDI file: a first 0 ("lines low") at a meaningless time, then codes.
            ["events"] = NwbTestFiles.Series(new byte[] { 0, 61, 11, 1, 0, 2 }, new[] { -1e9, 0.0, 0.05, 1.0, 1.2, 9.0 }),
        };

        var r = NwbTestFiles.WriteAndRead(file, tmp);
        var events = r.Intervals.OfKind("events");
        Assert.Equal(new[] { 0.0, 0.05, 1.0, 9.0 }, events.Select(i => i.Start));
        Assert.All(events, i => Assert.Equal(i.Start, i.End));
        Assert.Equal(new[] { "61", "11", "1", "2" }, events.Select(i => i.Label));
        Assert.Equal(0.0, r.StartSeconds); // the zero sample at -1e9 s marks no event, so it does not stretch the domain
    }

    [Fact]
    public void Ttl_level_series_becomes_one_interval_per_pulse()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["acquisition"] = new H5Group
        {
            // Sampled at 10 Hz from 0 s: high over samples 2-4 and again from sample 7 to the end.
            ["TTL_sync"] = new H5Group
            {
                Attributes = new() { ["neurodata_type"] = "TimeSeries" },
                ["data"] = new byte[] { 0, 0, 1, 1, 1, 0, 0, 1, 1 },
                ["starting_time"] = new H5Dataset(0.0) { Attributes = new() { ["rate"] = 10.0 } },
            },
        };

        var pulses = NwbTestFiles.WriteAndRead(file, tmp).Intervals.OfKind("TTL_sync");
        Assert.Equal(2, pulses.Count);
        Assert.Equal(0.2, pulses[0].Start, 12);
        Assert.Equal(0.5, pulses[0].End, 12); // ends where the level falls back to 0
        Assert.Equal(0.7, pulses[1].Start, 12);
        Assert.Equal(0.8, pulses[1].End, 12); // still high at the last sample: stops there
        Assert.All(pulses, p => Assert.Equal("1", p.Label));
    }

    [Fact]
    public void Series_that_are_signals_are_not_read_as_events()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["acquisition"] = new H5Group
        {
            ["ElectricalSeries"] = NwbTestFiles.Series(new short[] { 1, 2, 3 }, new[] { 0.0, 0.1, 0.2 }, "ElectricalSeries"),
            ["lfp_codes"] = NwbTestFiles.Series(new short[] { 1, 2, 3 }, new[] { 0.0, 0.1, 0.2 }), // name does not say events
            ["ttl_voltage"] = NwbTestFiles.Series(new[] { 0.01, 4.98, 0.02 }, new[] { 0.0, 0.1, 0.2 }), // analog, not codes
        };

        Assert.Empty(NwbTestFiles.WriteAndRead(file, tmp).Intervals);
    }

    [Fact]
    public void Annotations_ndx_events_and_acquisition_tables_are_read()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["intervals"] = new H5Group
        {
            ["trials"] = new H5Group { ["start_time"] = new[] { 0.0 }, ["stop_time"] = new[] { 1.0 } },
        };
        file["acquisition"] = new H5Group
        {
            ["notes"] = NwbTestFiles.Series(new[] { "reward", "" }, new[] { 0.3, 0.6 }, "AnnotationSeries"),
            ["licks"] = new H5Group { Attributes = new() { ["neurodata_type"] = "Events" }, ["timestamps"] = new[] { 0.25, 0.75 } },
            ["stimuli"] = new H5Group
            {
                Attributes = new() { ["neurodata_type"] = "LabeledEvents", ["labels"] = new[] { "", "grating", "noise" } },
                ["data"] = new uint[] { 2, 1, 0, 7 },
                ["timestamps"] = new[] { 0.1, 0.2, 0.4, 0.5 },
            },
            ["EventsTable"] = new H5Group
            {
                Attributes = new() { ["neurodata_type"] = "EventsTable" },
                ["timestamp"] = new[] { 0.2, 0.4 },
                ["duration"] = new[] { 0.1, double.NaN },
                ["event_name"] = new[] { "tone", "puff" },
            },
            ["BehavioralEvents"] = new H5Group
            {
                // A container: searched one level down. Its "trials" table clashes with /intervals/trials.
                ["trials"] = new H5Group { ["start_time"] = new[] { 2.0 }, ["stop_time"] = new[] { 3.0 }, ["condition"] = new[] { "left" } },
            },
        };

        var r = NwbTestFiles.WriteAndRead(file, tmp);
        var notes = r.Intervals.OfKind("notes");
        Assert.Equal(new[] { (0.3, 0.3, (string?)"reward"), (0.6, 0.6, null) }, notes.Select(i => (i.Start, i.End, i.Label)));
        Assert.Equal(new[] { (0.25, (string?)null), (0.75, null) }, r.Intervals.OfKind("licks").Select(i => (i.Start, i.Label)));
        // labels[key] when there is one; the key itself when the label is empty or the key is outside the labels.
        Assert.Equal(new[] { "noise", "grating", "0", "7" }, r.Intervals.OfKind("stimuli").Select(i => i.Label));
        var table = r.Intervals.OfKind("EventsTable");
        Assert.Equal(new[] { (0.2, 0.2 + 0.1, (string?)"tone"), (0.4, 0.4, "puff") }, table.Select(i => (i.Start, i.End, i.Label)));
        Assert.Equal(new[] { (0.0, 1.0) }, r.Intervals.OfKind("trials").Select(i => (i.Start, i.End)));
        var moved = r.Intervals.OfKind("acquisition_BehavioralEvents_trials");
        Assert.Equal(new[] { (2.0, 3.0, (string?)"left") }, moved.Select(i => (i.Start, i.End, i.Label)));
    }

    [Fact]
    public void Event_time_that_is_not_finite_is_a_data_format_error_naming_the_series()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["acquisition"] = new H5Group { ["events"] = NwbTestFiles.Series(new byte[] { 5, 6 }, new[] { 0.5, double.NaN }) };

        var e = Assert.Throws<DataFormatException>(() => NwbTestFiles.WriteAndRead(file, tmp, "nan-events.nwb"));
        Assert.Contains("nan-events.nwb", e.Message);
        Assert.Equal("/acquisition/events/timestamps", e.Column);
        Assert.Equal(2, e.Row);
    }

    [Fact]
    public void Real_file_ttl_markers_are_imported_as_events()
    {
        var path = TestData.File("human-mtl-dandi000207", "sub-4_ses-4_ecephys+image.nwb");
        byte[] codes;
        double[] times;
        using (var h5 = H5File.OpenRead(path))
        {
            codes = h5.Dataset("/acquisition/events/data").Read<byte[]>();
            times = h5.Dataset("/acquisition/events/timestamps").Read<double[]>();
        }
        var nonZero = Enumerable.Range(0, codes.Length).Where(i => codes[i] != 0).ToArray();

        var r = NwbImporter.ReadRecording(path);
        var events = r.Intervals.OfKind("events");
        Assert.Equal(nonZero.Length, events.Count);
        // The file's markers are not all in time order, while a recording's intervals are sorted: compare as sorted pairs.
        var expected = nonZero.Select(i => (times[i], codes[i].ToString(System.Globalization.CultureInfo.InvariantCulture))).Order().ToArray();
        Assert.Equal(expected, events.Select(e => (e.Start, e.Label!)).Order().ToArray());
        Assert.All(events, e => Assert.Equal(e.Start, e.End));
        Assert.Equal("61", events[0].Label); // start of the experiment, per the series description
        // experiment_ids is a TimeSeries of trial-block ids whose name does not say events: not read.
        Assert.DoesNotContain("experiment_ids", r.Intervals.Kinds);
        Assert.True(r.StartSeconds >= 0); // the "lines low" sample at -1.5e9 s does not stretch the domain
    }
}
