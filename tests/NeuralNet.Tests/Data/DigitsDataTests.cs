using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>The optdigits file shipped in <c>samples/data</c> for the Digits sample loads as described in its README.</summary>
public class DigitsDataTests
{
    private static string DigitsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", "digits.csv.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"samples/data/digits.csv.gz not found above {AppContext.BaseDirectory}.");
        return "";
    }

    [Fact]
    public void Load_ShippedDigits_Has1797SamplesOf64PixelsInTenClasses()
    {
        CsvTable<float> table = CsvLoader.Load<float>(DigitsPath(), new CsvOptions { HasHeader = false });

        table.Features.RowCount.Should().Be(1797);
        table.Features.ColumnCount.Should().Be(64);
        table.Features.Enumerate().Min().Should().Be(0f);
        table.Features.Enumerate().Max().Should().Be(16f);
        LabelMap.Fit(table.Labels).ClassNames.Should().Equal("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
