using MLNeuro.Loaders.Import;
using PureHDF;

namespace MLNeuro.Loaders.Tests;

/// <summary>
/// NWB structures beyond the standard layout: an electrodes table found through the object reference of
/// <c>/units/electrodes</c>, and behaviour series on different clocks.
/// </summary>
public sealed class NwbStructureTests
{
    [Fact]
    public void Electrodes_table_is_found_through_the_reference_of_units_electrodes()
    {
        using var tmp = new TempFolder();
        var probe = new H5Group { ["id"] = new long[] { 0, 1, 2 }, ["location"] = new[] { "CA1", "DG", "CA3" } };
        var file = NwbTestFiles.TwoUnits(f =>
        {
            // The referenced table lives away from the standard path, where a decoy table with other locations sits.
            f["lab"] = new H5Group { ["probe_electrodes"] = probe };
            f["general"] = new H5Group
            {
                ["extracellular_ephys"] = new H5Group { ["electrodes"] = new H5Group { ["location"] = new[] { "wrong", "wrong", "wrong" } } },
            };
        });
        var units = (H5Group)file["units"];
        units["electrodes"] = new H5Dataset(new long[] { 2, 1 }) { Attributes = new() { ["table"] = new H5ObjectReference(probe) } };

        var r = NwbTestFiles.WriteAndRead(file, tmp);
        Assert.Equal(new[] { "CA3", "DG" }, r.Units.Select(u => u.BrainRegion));
    }

    [Fact]
    public void Electrode_location_comes_from_the_referenced_electrode_group_when_the_table_has_no_location_column()
    {
        using var tmp = new TempFolder();
        var shank0 = new H5Group { Attributes = new() { ["location"] = "CA1" } };
        var shank1 = new H5Group { Attributes = new() { ["location"] = "PFC" } };
        var table = new H5Group
        {
            ["id"] = new long[] { 0, 1, 2 },
            ["group"] = new[] { new H5ObjectReference(shank1), new H5ObjectReference(shank0), new H5ObjectReference(shank1) },
            // group_name would find no group under /general/extracellular_ephys: the references must be what is followed.
            ["group_name"] = new[] { "missing", "missing", "missing" },
        };
        var file = NwbTestFiles.TwoUnits(f => f["devices"] = new H5Group { ["shank0"] = shank0, ["shank1"] = shank1, ["table"] = table });
        var units = (H5Group)file["units"];
        units["electrodes"] = new H5Dataset(new long[] { 1, 2 }) { Attributes = new() { ["table"] = new H5ObjectReference(table) } };

        var r = NwbTestFiles.WriteAndRead(file, tmp);
        Assert.Equal(new[] { "CA1", "PFC" }, r.Units.Select(u => u.BrainRegion));
    }

    [Fact]
    public void Electrodes_reference_to_a_dataset_is_a_data_format_error_naming_the_column()
    {
        using var tmp = new TempFolder();
        var notATable = new H5Dataset(new[] { 1.0, 2.0 });
        var file = NwbTestFiles.TwoUnits(f => f["scratch"] = new H5Group { ["values"] = notATable });
        var units = (H5Group)file["units"];
        units["electrodes"] = new H5Dataset(new long[] { 0, 1 }) { Attributes = new() { ["table"] = new H5ObjectReference(notATable) } };

        var e = Assert.Throws<DataFormatException>(() => NwbTestFiles.WriteAndRead(file, tmp, "badref.nwb"));
        Assert.Contains("badref.nwb", e.Message);
        Assert.Equal("/units/electrodes", e.Column);
        Assert.Contains("not an electrodes table", e.Message);
    }

    [Fact]
    public void Real_file_units_electrodes_reference_resolves_to_its_electrodes_table()
    {
        // The DANDI file stores the DynamicTableRegion target as an object reference; it must lead to the same table
        // as the standard path (whose locations give the regions the expected CSV lists).
        var path = TestData.File("human-mtl-dandi000207", "sub-4_ses-4_ecephys+image.nwb");
        using var file = H5File.OpenRead(path);
        var referenced = Hdf5Values.ReadReferencedObject(file, file.Dataset("/units/electrodes"), "table", path, "/units/electrodes");
        var table = Assert.IsAssignableFrom<IH5Group>(referenced);
        Assert.Equal(
            Hdf5Values.ReadStrings(file.Dataset("/general/extracellular_ephys/electrodes/location")),
            Hdf5Values.ReadStrings(table.Dataset("location")));
    }

    [Fact]
    public void Behaviour_series_on_different_clocks_are_merged_onto_the_union_of_their_timestamps()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["Position"] = new H5Group
                {
                    ["pos"] = NwbTestFiles.Series(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, new[] { 0.0, 0.1, 0.2 }, "SpatialSeries"),
                },
                ["speed"] = NwbTestFiles.Series(new float[] { 7, 8, 9 }, new[] { 0.05, 0.1, 0.15 }),
                ["lick"] = NwbTestFiles.Series(new byte[] { 1, 0, 1 }, new[] { 0.0, 0.1, 0.2 }),
            },
        };

        var b = NwbTestFiles.WriteAndRead(file, tmp).Behavior!;
        // Channels follow the series in path order; lick shares pos's clock, speed has its own.
        Assert.Equal(new[] { "pos_x", "pos_y", "lick", "speed" }, b.ChannelNames);
        Assert.Equal(new[] { 0.0, 0.05, 0.1, 0.15, 0.2 }, b.Timestamps.ToArray());
        Assert.Equal(new[] { 1f, float.NaN, 3f, float.NaN, 5f }, b.Channel("pos_x").ToArray());
        Assert.Equal(new[] { 2f, float.NaN, 4f, float.NaN, 6f }, b.Channel("pos_y").ToArray());
        Assert.Equal(new[] { 1f, float.NaN, 0f, float.NaN, 1f }, b.Channel("lick").ToArray());
        Assert.Equal(new[] { float.NaN, 7f, 8f, 9f, float.NaN }, b.Channel("speed").ToArray());
    }

    [Fact]
    public void Repeated_timestamps_keep_every_sample_when_clocks_are_merged()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["a"] = NwbTestFiles.Series(new[] { 1.0, 2.0, 3.0, 4.0 }, new[] { 0.0, 1.0, 1.0, 2.0 }),
                ["b"] = NwbTestFiles.Series(new[] { 10.0, 20.0 }, new[] { 1.0, 3.0 }),
            },
        };

        var b = NwbTestFiles.WriteAndRead(file, tmp).Behavior!;
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 2.0, 3.0 }, b.Timestamps.ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, float.NaN }, b.Channel("a").ToArray());
        Assert.Equal(new[] { float.NaN, 10f, float.NaN, float.NaN, 20f }, b.Channel("b").ToArray());
    }

    [Fact]
    public void Behaviour_on_one_clock_reads_without_any_missing_value()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["x"] = new H5Group { ["data"] = new[] { 1.0, 2.0, 3.0 }, ["starting_time"] = new H5Dataset(0.5) { Attributes = new() { ["rate"] = 2.0 } } },
                ["y"] = NwbTestFiles.Series(new[] { 4.0, 5.0, 6.0 }, new[] { 0.5, 1.0, 1.5 }),
            },
        };

        var b = NwbTestFiles.WriteAndRead(file, tmp).Behavior!;
        Assert.Equal(new[] { 0.5, 1.0, 1.5 }, b.Timestamps.ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f }, b.Channel("x").ToArray());
        Assert.Equal(new[] { 4f, 5f, 6f }, b.Channel("y").ToArray());
    }

    [Fact]
    public void Unsorted_behaviour_timestamps_are_a_data_format_error_naming_the_series_and_row()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["good"] = NwbTestFiles.Series(new[] { 1.0, 2.0 }, new[] { 0.0, 1.0 }),
                ["late"] = NwbTestFiles.Series(new[] { 1.0, 2.0, 3.0 }, new[] { 0.0, 2.0, 1.0 }),
            },
        };

        var e = Assert.Throws<DataFormatException>(() => NwbTestFiles.WriteAndRead(file, tmp, "unsorted.nwb"));
        Assert.Contains("unsorted.nwb", e.Message);
        Assert.Equal("/processing/behavior/late/timestamps", e.Column);
        Assert.Equal(3, e.Row);
    }

    [Fact]
    public void Merged_behaviour_keeps_its_missing_values_through_a_dataset_round_trip()
    {
        using var tmp = new TempFolder();
        var file = NwbTestFiles.TwoUnits();
        file["processing"] = new H5Group
        {
            ["behavior"] = new H5Group
            {
                ["x"] = NwbTestFiles.Series(new[] { 1.0, 2.0 }, new[] { 0.0, 0.2 }),
                ["y"] = NwbTestFiles.Series(new[] { 3.0 }, new[] { 0.1 }),
            },
        };
        var path = tmp.Combine("clocks.nwb");
        file.Write(path);
        NwbImporter.Import(new[] { path }, tmp.Combine("ds"));

        var b = NeuralDataset.Open(tmp.Combine("ds")).ReadRecording("structure-1").Behavior!;
        Assert.Equal(new[] { 0.0, 0.1, 0.2 }, b.Timestamps.ToArray());
        Assert.Equal(new[] { 1f, float.NaN, 2f }, b.Channel("x").ToArray());
        Assert.Equal(new[] { float.NaN, 3f, float.NaN }, b.Channel("y").ToArray());
    }
}
