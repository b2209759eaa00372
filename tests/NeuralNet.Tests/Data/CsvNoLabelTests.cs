using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary><see cref="CsvOptions.HasLabelColumn"/> = false: files of features only. The second test is the snippet of
/// docs/data-and-model-files.md ("Files without a label column"), line for line between the marked lines.</summary>
public class CsvNoLabelTests
{
    [Fact]
    public void Load_NoLabelColumn_EveryColumnIsAFeature()
    {
        CsvTable<double> table = CsvLoader.Load<double>(new StringReader("a,b,c\n1,2,3\n4,5,6\n"), "new.csv", new CsvOptions { HasLabelColumn = false });

        table.FeatureNames.Should().Equal("a", "b", "c");
        table.Features.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        table.Labels.Should().BeEmpty();
        table.LabelName.Should().Be("");
        FluentActions.Invoking(() => table.ToRegressionDataset()).Should().Throw<InvalidOperationException>().WithMessage("*without a label column*");
        FluentActions.Invoking(() => table.ToClassificationDataset(new LabelMap(["x"]))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Load_NoLabelColumn_SingleColumnWithoutHeader()
    {
        CsvTable<float> table = CsvLoader.Load<float>(new StringReader("1.5\n-2\n"), "one.csv", new CsvOptions { HasHeader = false, HasLabelColumn = false });

        table.FeatureNames.Should().Equal("column0");
        table.Features.Column(0).ToArray().Should().Equal(1.5f, -2f);
    }

    [Fact]
    public void Load_DefaultOptions_StillTakeTheLastColumnAsLabel()
    {
        CsvTable<double> table = CsvLoader.Load<double>(new StringReader("a,b,c\n1,2,3\n"), "old.csv");
        table.FeatureNames.Should().Equal("a", "b");
        table.Labels.Should().Equal("3");
    }

    [Fact]
    public void Options_LabelSelectorWithoutLabelColumn_Throws()
    {
        FluentActions.Invoking(() => CsvLoader.Load<double>(new StringReader("a,b\n1,2\n"), "x.csv", new CsvOptions { HasLabelColumn = false, LabelColumn = "b" }))
            .Should().Throw<ArgumentException>().WithParameterName("HasLabelColumn");
        FluentActions.Invoking(() => CsvLoader.Load<double>(new StringReader("a,b\n1,2\n"), "x.csv", new CsvOptions { HasLabelColumn = false, LabelColumnIndex = 0 }))
            .Should().Throw<ArgumentException>().WithParameterName("HasLabelColumn");
    }

    [Fact]
    public void Docs_FilesWithoutALabelColumn()
    {
        string path = Path.Combine(Path.GetTempPath(), $"to-predict-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        try
        {
            // --- docs/data-and-model-files.md: Files without a label column
            CsvTable<double> rows = CsvLoader.Load<double>(path, new CsvOptions { HasLabelColumn = false });
            // rows.Features is [2 x 4]: every column is a feature; rows.Labels is empty
            // --- end
            rows.Features.RowCount.Should().Be(2);
            rows.Features.ColumnCount.Should().Be(4);
            rows.Labels.Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
