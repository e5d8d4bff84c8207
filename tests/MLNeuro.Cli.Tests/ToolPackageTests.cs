using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace MLNeuro.Cli.Tests;

/// <summary>
/// Packs the shipping packages the way a release does (one <c>dotnet pack</c>, into a temp folder, with its own build
/// output so the test binaries of a running <c>dotnet test</c> are never rebuilt under it), installs the tool from that
/// folder only, and runs it: what a user gets from <c>dotnet tool install MLNeuro.Cli</c>.
/// </summary>
public sealed class ToolPackageFixture : IDisposable
{
    /// <summary>The version Directory.Build.props sets; every package and <c>mlneuro --version</c> must carry it.</summary>
    public const string Version = "0.1.0";

    public static readonly string[] PackageIds = ["MLNeuro.Loaders", "MLNeuro.Transforms", "MLNeuro.Estimators", "MLNeuro.Reporting", "MLNeuro.Cli"];

    private readonly TempFolder _tmp = new();

    public ToolPackageFixture()
    {
        var root = RepositoryRoot();
        PackFolder = _tmp.Combine("packages");
        ToolFolder = _tmp.Combine("tool");

        // One pack of the shipping projects: a solution filter of sorts, written here so the test never packs
        // (and builds) the test projects of MLNeuro.sln.
        var solution = _tmp.Combine("packages.slnx");
        File.WriteAllText(solution, new XElement("Solution",
            PackageIds.Select(id => new XElement("Project", new XAttribute("Path", ProjectOf(root, id))))).ToString());
        var watch = Stopwatch.StartNew();
        Run(Dotnet, ["pack", solution, "-c", "Release", "-o", PackFolder, "--artifacts-path", _tmp.Combine("artifacts"),
            "--disable-build-servers", "-nologo", "-v", "quiet"], root, timeoutMinutes: 20);
        PackSeconds = watch.Elapsed.TotalSeconds;

        // Only the fresh packages as a source: no network, and no MLNeuro.Cli 0.1.0 from a feed can stand in for the one
        // just packed (a new --tool-path has no store of its own yet).
        var config = _tmp.Combine("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{PackFolder}" />
              </packageSources>
            </configuration>
            """);
        watch.Restart();
        Run(Dotnet, ["tool", "install", "MLNeuro.Cli", "--version", Version, "--tool-path", ToolFolder, "--configfile", config],
            _tmp.Path, timeoutMinutes: 10);
        InstallSeconds = watch.Elapsed.TotalSeconds;
    }

    public string PackFolder { get; }

    public string ToolFolder { get; }

    public double PackSeconds { get; }

    public double InstallSeconds { get; }

    public string Tool => Path.Combine(ToolFolder, "mlneuro");

    public string NewFolder(string name) => Directory.CreateDirectory(_tmp.Combine("runs", name)).FullName;

    /// <summary>The nuspec inside a package of the pack folder, and the package's file names.</summary>
    public (XElement Metadata, XNamespace Ns, string[] Files) ReadPackage(string fileName)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(PackFolder, fileName));
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        var ns = document.Root!.Name.Namespace;
        return (document.Root.Element(ns + "metadata")!, ns, zip.Entries.Select(e => e.FullName).ToArray());
    }

    /// <summary>The dotnet host running these tests (also the one whose SDK builds the repository).</summary>
    public static string Dotnet { get; } = FindDotnet();

    public static (int Exit, string Out, string Err) Run(string file, IReadOnlyList<string> args, string workingDirectory,
        double timeoutMinutes, Dictionary<string, string>? extraEnvironment = null, bool check = true)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // Under `dotnet test` the test host inherits the outer build's MSBuild variables; a nested build must choose
        // its own SDK paths and nodes.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The installed tool's apphost finds the runtime through DOTNET_ROOT when dotnet is not in a default location.
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Dotnet)!;
        foreach (var (key, value) in extraEnvironment ?? []) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(timeoutMinutes)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutMinutes} min");
        }
        process.WaitForExit(); // drains the redirected streams
        var result = (process.ExitCode, stdout.ToString(), stderr.ToString());
        if (check && result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {result.ExitCode}\nstdout:\n{result.Item2}\nstderr:\n{result.Item3}");
        return result;
    }

    public void Dispose() => _tmp.Dispose();

    private static string ProjectOf(string root, string packageId) => packageId switch
    {
        "MLNeuro.Loaders" => Path.Combine(root, "Loaders", "MLNeuro.Loaders.csproj"),
        "MLNeuro.Transforms" => Path.Combine(root, "Transforms", "MLNeuro.Transforms.csproj"),
        "MLNeuro.Estimators" => Path.Combine(root, "Estimators", "MLNeuro.Estimators.csproj"),
        "MLNeuro.Reporting" => Path.Combine(root, "Reporting", "MLNeuro.Reporting.csproj"),
        "MLNeuro.Cli" => Path.Combine(root, "Examples", "MLNeuro.Cli", "MLNeuro.Cli.csproj"),
        _ => throw new ArgumentOutOfRangeException(nameof(packageId)),
    };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNeuro.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("cannot find MLNeuro.sln above the test binaries");
    }

    private static string FindDotnet()
    {
        // `dotnet test` runs the test host as `dotnet testhost.dll` and sets DOTNET_HOST_PATH for its children.
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), Environment.ProcessPath })
            if (candidate is not null && Path.GetFileNameWithoutExtension(candidate) == "dotnet" && File.Exists(candidate))
                return candidate;
        return "dotnet";
    }
}

public sealed class ToolPackageTests(ToolPackageFixture packages, ITestOutputHelper output) : IClassFixture<ToolPackageFixture>
{
    private const string V = ToolPackageFixture.Version;

    [Fact]
    public void Every_package_has_the_one_version_real_metadata_a_readme_and_symbols()
    {
        output.WriteLine($"pack {packages.PackSeconds:F0} s, tool install {packages.InstallSeconds:F0} s");
        foreach (var file in Directory.GetFiles(packages.PackFolder).Order())
            output.WriteLine($"{Path.GetFileName(file)}: {new FileInfo(file).Length / 1e6:F1} MB");

        string[] libraries = ["MLNeuro.Loaders", "MLNeuro.Transforms", "MLNeuro.Estimators", "MLNeuro.Reporting"];
        foreach (var id in libraries.Append("MLNeuro.Cli.linux-x64"))
        {
            Assert.True(File.Exists(Path.Combine(packages.PackFolder, $"{id}.{V}.snupkg")), $"{id} has no symbol package");
            var (metadata, ns, files) = packages.ReadPackage($"{id}.{V}.nupkg");
            Assert.Equal(id, metadata.Element(ns + "id")!.Value);
            Assert.Equal(V, metadata.Element(ns + "version")!.Value);
            Assert.Equal("MLNeuro contributors", metadata.Element(ns + "authors")!.Value);
            var license = metadata.Element(ns + "license")!;
            Assert.Equal(("expression", "MIT"), (license.Attribute("type")!.Value, license.Value));
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            Assert.NotEqual("Package Description", metadata.Element(ns + "description")!.Value);
            // The package readme is the project folder's README.md, and it is in the package.
            Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
            Assert.Contains("README.md", files);
            // Which commit the package came from (SourceLink's source-control information).
            Assert.Matches("^[0-9a-f]{40}$", metadata.Element(ns + "repository")!.Attribute("commit")!.Value);
        }
    }

    [Fact]
    public void Libraries_depend_on_each_other_at_exactly_this_version_and_leave_libtorch_to_the_application()
    {
        static Dictionary<string, string> Dependencies(XElement metadata, XNamespace ns) =>
            metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);

        var (loaders, ns, _) = packages.ReadPackage($"MLNeuro.Loaders.{V}.nupkg");
        Assert.DoesNotContain(Dependencies(loaders, ns).Keys, k => k.StartsWith("MLNeuro", StringComparison.Ordinal));

        var (transforms, _, _) = packages.ReadPackage($"MLNeuro.Transforms.{V}.nupkg");
        Assert.Equal($"[{V}]", Dependencies(transforms, ns)["MLNeuro.Loaders"]);

        var (estimators, _, estimatorFiles) = packages.ReadPackage($"MLNeuro.Estimators.{V}.nupkg");
        var dependencies = Dependencies(estimators, ns);
        Assert.Equal($"[{V}]", dependencies["MLNeuro.Transforms"]);
        Assert.Contains("TorchSharp", dependencies.Keys);                 // the managed bindings
        var (reporting, _, _) = packages.ReadPackage($"MLNeuro.Reporting.{V}.nupkg");
        Assert.Equal($"[{V}]", Dependencies(reporting, ns)["MLNeuro.Estimators"]);
        Assert.DoesNotContain(Dependencies(reporting, ns).Keys, k => k.StartsWith("libtorch", StringComparison.Ordinal));
        Assert.Contains("Microsoft.ML.OnnxTransformer", dependencies.Keys);
        Assert.DoesNotContain(dependencies.Keys, k => k.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(estimatorFiles, f => f.Contains("libtorch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_tool_is_a_linux_x64_package_that_carries_libtorch_but_not_its_python_bindings()
    {
        // The pointer package names the platform package; the platform package holds the tool and its natives.
        var (pointer, ns, pointerFiles) = packages.ReadPackage($"MLNeuro.Cli.{V}.nupkg");
        Assert.Equal("DotnetTool", pointer.Descendants(ns + "packageType").Single().Attribute("name")!.Value);
        Assert.DoesNotContain(pointerFiles, f => f.EndsWith(".dll", StringComparison.Ordinal));

        var (_, _, files) = packages.ReadPackage($"MLNeuro.Cli.linux-x64.{V}.nupkg");
        var names = files.Select(Path.GetFileName).ToHashSet();
        foreach (var native in new[] { "libtorch_cpu.so", "libLibTorchSharp.so", "libonnxruntime.so", "libSkiaSharp.so" })
            Assert.Contains(native, names);
        Assert.DoesNotContain("libtorch_python.so", names);
        Assert.DoesNotContain(files, f => f.Contains("/win-", StringComparison.Ordinal) || f.Contains("/osx", StringComparison.Ordinal));
    }

    [Fact]
    public void Installed_tool_prints_the_package_version()
    {
        var (_, stdout, _) = ToolPackageFixture.Run(packages.Tool, ["--version"], packages.ToolFolder, timeoutMinutes: 2);
        Assert.Equal(V, stdout.Trim());
    }

    [Fact]
    public void Installed_tool_writes_a_synthetic_dataset_and_pretrains_on_it()
    {
        var work = packages.NewFolder("synth");
        var data = Path.Combine(work, "data");
        ToolPackageFixture.Run(packages.Tool,
            ["synth", "--out", data, "--subjects", "1", "--sessions-per-subject", "1", "--units", "4", "--seconds", "5"],
            work, timeoutMinutes: 2);
        Assert.True(File.Exists(Path.Combine(data, "dataset.json")));

        // Training loads libtorch from the tool's own folder: the natives the package must carry.
        var model = Path.Combine(work, "nuclr.zip");
        var (exit, _, stderr) = ToolPackageFixture.Run(packages.Tool,
            ["pretrain", "nuclr", "--data", data, "--out", model, "--config", "tiny", "--steps", "2", "--batch", "2", "--threads", "1"],
            work, timeoutMinutes: 5, check: false);
        Assert.True(exit == 0, stderr);
        Assert.True(new FileInfo(model).Length > 0);
    }
}
