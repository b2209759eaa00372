using NeuralNet.IO;
using NeuralNet.Tests.TestSupport;

namespace NeuralNet.Tests.IO;

public class AtomicFileTests
{
    private static string StaleName(string target) => $".{target}.{Guid.NewGuid():N}.tmp";

    [Fact]
    public void Write_Success_ReplacesTargetAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.nn");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, "path", s => s.Write("new"u8));

        File.ReadAllText(path).Should().Be("new");
        Directory.GetFiles(dir.Path).Should().Equal(path);
    }

    [Fact]
    public void Write_CallbackThrows_KeepsTargetAndRemovesItsTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.nn");
        File.WriteAllText(path, "old");

        Action act = () => AtomicFile.Write(path, "path", s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("killed");
        });

        act.Should().Throw<InvalidOperationException>();
        File.ReadAllText(path).Should().Be("old");
        Directory.GetFiles(dir.Path).Should().Equal(path);
    }

    [Fact]
    public void Write_StaleTemporaryFilesOfKilledSaves_AreRemovedOthersKept()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.nn");
        string stale1 = dir.File(StaleName("model.nn")), stale2 = dir.File(StaleName("model.nn"));
        string otherTarget = dir.File(StaleName("other.nn"));
        string lookalike = dir.File(".model.nn.notahexname.tmp");
        foreach (string f in new[] { stale1, stale2, otherTarget, lookalike })
        {
            File.WriteAllText(f, "left by a killed save");
        }

        AtomicFile.Write(path, "path", s => s.Write("new"u8));

        Directory.GetFiles(dir.Path).Order().Should().Equal(new[] { path, otherTarget, lookalike }.Order());
    }

    [Fact]
    public void Write_TemporaryFileHeldByARunningSave_IsNotRemoved()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.nn");
        string live = dir.File(StaleName("model.nn"));
        using (var running = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            AtomicFile.Write(path, "path", s => s.Write("new"u8));

            File.Exists(live).Should().BeTrue();
        }
    }

    [Theory]
    [InlineData(".model.nn.0123456789abcdef0123456789abcdef.tmp", "model.nn", true)]
    [InlineData(".model.nn.0123456789abcdef0123456789abcdeF.tmp", "model.nn", false)]
    [InlineData(".model.nn.0123456789abcdef0123456789abcde.tmp", "model.nn", false)]
    [InlineData(".model.nn.0123456789abcdef0123456789abcdef.tmp", "model.n", false)]
    [InlineData("model.nn.0123456789abcdef0123456789abcdef.tmp", "model.nn", false)]
    public void IsTemporaryFor_RecognisesOnlyThePattern(string file, string target, bool expected)
    {
        AtomicFile.IsTemporaryFor(file, target).Should().Be(expected);
    }

    [Fact]
    public void Write_PathIsADirectory_ThrowsArgumentSayingSo()
    {
        using var dir = new TempDirectory();

        Action act = () => AtomicFile.Write(dir.Path, "path", s => s.WriteByte(1));

        act.Should().Throw<ArgumentException>().WithParameterName("path").WithMessage("*is a directory, not a file*");
    }
}
