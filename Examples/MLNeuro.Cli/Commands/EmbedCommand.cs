using System.CommandLine;
using MLNeuro.Cli.Output;
using MLNeuro.Estimators;
using MLNeuro.Loaders;

namespace MLNeuro.Cli.Commands;

/// <summary>
/// <c>mlneuro embed --model MODEL.zip --data DIR --out FILE.parquet</c>: NuCLR neuron embeddings, one row per unit, in
/// the feature-table shape <c>mlneuro features</c> writes, so <c>mlneuro probe</c> reads it unchanged.
/// </summary>
internal static class EmbedCommand
{
    public static Command Create(CliIo io)
    {
        var model = new Option<string>("--model") { Description = "NuCLR model artifact (zip written by `mlneuro pretrain nuclr`).", Required = true };
        var data = CommonOptions.Data();
        var output = CommonOptions.Output("Embedding table to write (Parquet; replaced atomically).");
        var command = new Command("embed", "Embed every unit with a pretrained NuCLR encoder (averaged over non-overlapping windows, its population as context; scored with ONNX Runtime) into a feature table for `mlneuro probe`.")
        {
            model, data, output,
        };
        command.Guard([model, data], [(output, OutputKind.File)]);
        command.SetAction((parse, cancellationToken) =>
        {
            // Open both inputs before any work, so a wrong path fails at once and nothing is written.
            var modelPath = parse.GetRequiredValue(model);
            var artifact = ModelArtifact.Read(modelPath);
            if (artifact.Manifest.ModelKind != NuclrModelOptions.ModelKind)
                throw new ArgumentException($"--model {modelPath}: is a '{artifact.Manifest.ModelKind}' model; embed needs a NuCLR model (written by `mlneuro pretrain nuclr`)");
            var dataset = NeuralDataset.Open(parse.GetRequiredValue(data));
            FeatureTable? table = null;
            ProgressDisplay.Run(io, "embed", progress => table = NuclrEmbedder.Embed(artifact, dataset, progress, cancellationToken));
            var target = parse.GetRequiredValue(output);
            table!.Write(target);
            io.Error.WriteLine($"wrote {target}: {table.RowCount} units x {table.Dimension} embedding dims");
            return Task.FromResult(0);
        });
        return command;
    }
}
