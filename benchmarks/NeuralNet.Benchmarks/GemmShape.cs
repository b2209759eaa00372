namespace NeuralNet.Benchmarks;

/// <summary>Parses <c>"m x k x n"</c> shapes with an optional <c>A^T</c> / <c>B^T</c> suffix: <c>op(A)</c> is m x k, <c>op(B)</c> k x n.</summary>
public static class GemmShape
{
    public static (int M, int K, int N, bool TransposeA, bool TransposeB) Parse(string shape)
    {
        string[] parts = shape.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int[] dims = parts[0].Split('x').Select(int.Parse).ToArray();
        bool ta = parts.Contains("A^T"), tb = parts.Contains("B^T");
        return (dims[0], dims[1], dims[2], ta, tb);
    }
}
