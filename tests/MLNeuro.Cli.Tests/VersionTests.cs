namespace MLNeuro.Cli.Tests;

public sealed class VersionTests
{
    [Fact]
    public void Version_option_prints_the_package_version_without_the_commit()
    {
        var (exit, stdout, _) = CliRunner.Run("--version");
        Assert.Equal(0, exit);
        // Directory.Build.props sets 0.1.0; the SDK's informational version is "0.1.0+<commit>".
        Assert.Equal(ToolPackageFixture.Version, stdout.Trim());
    }

    [Theory]
    [InlineData("0.1.0+d05a4fe8a72cb38ba563829149f2945c410fd228", "0.1.0")]
    [InlineData("0.2.0-preview.1+abc", "0.2.0-preview.1")]
    [InlineData("0.1.0", "0.1.0")]
    public void Build_metadata_is_dropped_and_a_prerelease_label_kept(string informational, string expected) =>
        Assert.Equal(expected, MLNeuroCli.PackageVersion(informational));
}
