using System.IO.Compression;
using NeuralNet.Data;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.Data;

public class CsvLoaderTests
{
    private static CsvTable<double> Read(string text, CsvOptions? options = null) =>
        CsvLoader.Load<double>(new StringReader(text), "test.csv", options);

    [Fact]
    public void Load_HeaderAndLabelByName_SplitsFeaturesAndLabels()
    {
        CsvTable<double> table = Read("a,species,b\n1,setosa,2.5\n3,virginica,-4e-1\n", new CsvOptions { LabelColumn = "species" });

        table.FeatureNames.Should().Equal("a", "b");
        table.LabelName.Should().Be("species");
        table.Labels.Should().Equal("setosa", "virginica");
        table.Features.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 2.5 }, { 3, -0.4 } });
    }

    [Fact]
    public void Load_NoHeaderLabelByNegativeIndex_UsesThatColumn()
    {
        CsvTable<float> table = CsvLoader.Load<float>(new StringReader("5,1,2\r\n6,3,4\r\n"), "x.csv", new CsvOptions { HasHeader = false, LabelColumnIndex = 0 });

        table.Labels.Should().Equal("5", "6");
        table.FeatureNames.Should().Equal("column1", "column2");
        table.Features.Row(1).ToArray().Should().Equal(3f, 4f);
    }

    [Fact]
    public void Load_QuotedFields_HandlesDelimitersDoubledQuotesAndLineBreaks()
    {
        string csv = "x,\"the \"\"label\"\"\"\n\"1.5\",\"a, b\"\n2,\"line\nbreak\"\n";

        CsvTable<double> table = Read(csv);

        table.LabelName.Should().Be("the \"label\"");
        table.Labels.Should().Equal("a, b", "line\nbreak");
        table.Features.Column(0).ToArray().Should().Equal(1.5, 2.0);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n3,,1\n", "*line 3, column 'b' (index 1): missing value*")]
    [InlineData("a,b,y\n1,2,0\n3,NA,1\n", "*line 3, column 'b' (index 1): missing value*")]
    [InlineData("a,b,y\n1,2,0\n\n4,?,1\n", "*line 4, column 'b'*missing value*")]
    [InlineData("a,b,y\n1,abc,0\n", "*line 2, column 'b' (index 1): 'abc' is not a number*")]
    [InlineData("a,b,y\n1,1e999,0\n", "*'1e999' is not a finite number*")]
    [InlineData("a,b,y\n1,2,0\n1,2\n", "*line 3: expected 3 fields*found 2*")]
    [InlineData("a,b,y\n1,2,\"open\n", "*line 2, field 2: unterminated quoted field*")]
    [InlineData("a,b,y\n1,2,\"x\"z\n", "*unexpected character 'z' after a closing quote*")]
    [InlineData("a,b,y\n1,2\"x,0\n", "*a quote inside an unquoted field*")]
    [InlineData("a,b,y\n1,2,\n", "*line 2, column 'y' (index 2): missing label*")]
    [InlineData("", "*empty*")]
    [InlineData("a,b,y\n", "*no data rows*")]
    [InlineData("y\n1\n", "*at least one feature column*")]
    public void Load_MalformedContent_ThrowsInvalidDataFileNamingLineAndColumn(string csv, string message)
    {
        Action act = () => Read(csv);

        act.Should().Throw<InvalidDataFileException>().WithMessage(message);
    }

    [Fact]
    public void Load_UnknownLabelColumn_ThrowsArgumentListingColumns()
    {
        Action act = () => Read("a,b\n1,2\n", new CsvOptions { LabelColumn = "label" });

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*no column named 'label'*'a', 'b'*");
    }

    [Fact]
    public void Load_BothLabelSelectors_ThrowsArgument()
    {
        Action act = () => Read("a,b\n1,2\n", new CsvOptions { LabelColumn = "a", LabelColumnIndex = 0 });

        act.Should().Throw<ArgumentException>().WithParameterName("LabelColumn");
    }

    [Fact]
    public void Load_GzipFile_IsDetectedFromContent()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.csv.gz");
        using (var writer = new StreamWriter(new GZipStream(File.Create(path), CompressionLevel.Optimal)))
        {
            writer.Write("0,16,3\n1,2,7\n");
        }

        CsvTable<float> table = CsvLoader.Load<float>(path, new CsvOptions { HasHeader = false });

        table.Labels.Should().Equal("3", "7");
        table.Features.Row(0).ToArray().Should().Equal(0f, 16f);
    }

    [Fact]
    public void ToClassificationDataset_LabelOutsideMap_ThrowsInvalidDataFileWithLine()
    {
        CsvTable<double> table = Read("a,y\n1,cat\n2,dog\n");

        Action act = () => table.ToClassificationDataset(new LabelMap(["cat"]));

        act.Should().Throw<InvalidDataFileException>().WithMessage("*line 3, column 'y': label 'dog'*");
    }

    [Fact]
    public void ToClassificationDataset_FittedMap_EncodesIndices()
    {
        CsvTable<double> table = Read("a,y\n1,dog\n2,cat\n3,dog\n");

        Dataset<double> data = table.ToClassificationDataset(LabelMap.Fit(table.Labels));

        data.Targets.Column(0).ToArray().Should().Equal(1.0, 0.0, 1.0); // classes sorted: cat=0, dog=1
    }

    [Fact]
    public void ToRegressionDataset_NonNumericLabel_ThrowsInvalidDataFile()
    {
        CsvTable<double> table = Read("a,y\n1,2.5\n2,high\n");

        Action act = () => table.ToRegressionDataset();

        act.Should().Throw<InvalidDataFileException>().WithMessage("*line 3*'high' is not a finite number*");
    }

    /// <summary>A text reader that produces one line of digits that never ends.</summary>
    private sealed class EndlessLine : TextReader
    {
        public long Served { get; private set; }

        public override int Peek() => '1';

        public override int Read()
        {
            Served++;
            return '1';
        }
    }

    [Fact]
    public void Load_LineLongerThanMaxLineLength_ThrowsNamingTheLineWithoutReadingFurther()
    {
        var endless = new EndlessLine();

        Action act = () => CsvLoader.Load<double>(endless, "endless.csv", new CsvOptions { MaxLineLength = 1000 });

        act.Should().Throw<InvalidDataFileException>().WithMessage("endless.csv, line 1: the record is longer than 1,000 characters (CsvOptions.MaxLineLength)*");
        endless.Served.Should().Be(1000);
    }

    [Fact]
    public void Load_QuotedFieldSpanningLinesPastTheLimit_CountsTheWholeRecord()
    {
        string csv = "a,y\n1,\"" + string.Join('\n', Enumerable.Repeat("0123456789", 20)) + "\"\n";

        Action act = () => Read(csv, new CsvOptions { MaxLineLength = 100 });

        act.Should().Throw<InvalidDataFileException>().WithMessage("test.csv, line 2: the record is longer than 100 characters*");
    }

    [Fact]
    public void Load_RecordExactlyAtTheLimit_Loads()
    {
        // "12345,x": 7 characters, the line break is not part of the record.
        CsvTable<double> table = Read("a,y\n12345,x\n", new CsvOptions { MaxLineLength = 7 });

        table.Features[0, 0].Should().Be(12345);
    }

    [Fact]
    public void Load_MaxLineLengthNotPositive_ThrowsArgumentOutOfRange()
    {
        Action act = () => Read("a,y\n1,x\n", new CsvOptions { MaxLineLength = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxLineLength");
    }

    private static byte[] GzipWithFlush(string first, string second, out int flushPoint)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(first));
            gzip.Flush();
            flushPoint = (int)buffer.Length;
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(second));
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Load_GzipCutAtAFlushPoint_ThrowsInsteadOfReturningTheFirstRows()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.csv.gz");
        byte[] whole = GzipWithFlush("a,y\n1,x\n2,y\n", "3,x\n4,y\n", out int flushPoint);
        File.WriteAllBytes(path, whole[..flushPoint]);

        Action act = () => CsvLoader.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("cut.csv.gz: truncated or corrupt gzip file*");
    }

    [Fact]
    public void Load_GzipWithTrailingBytes_ThrowsNamingThem()
    {
        using var dir = new TempDirectory();
        string path = dir.File("extra.csv.gz");
        File.WriteAllBytes(path, [.. GzipWithFlush("a,y\n1,x\n", "2,y\n", out _), .. "3,x\n"u8]);

        Action act = () => CsvLoader.Load<double>(path);

        act.Should().Throw<InvalidDataFileException>().WithMessage("extra.csv.gz: unexpected bytes after the end of the gzip data (at least 4)*");
    }

    [Fact]
    public void Load_PathIsADirectory_ThrowsArgumentSayingSo()
    {
        using var dir = new TempDirectory();

        Action act = () => CsvLoader.Load<double>(dir.Path);

        act.Should().Throw<ArgumentException>().WithParameterName("path").WithMessage("*is a directory, not a file*");
    }
}
