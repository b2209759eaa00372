using System.Numerics;
using MathNet.Numerics.Providers.LinearAlgebra;
using Complex = System.Numerics.Complex;
using Complex32 = MathNet.Numerics.Complex32;

namespace NeuralNet.Kernels;

/// <summary>
/// An opt-in MathNet.Numerics linear-algebra provider that runs dense <see cref="float"/> and <see cref="double"/>
/// matrix products (<c>Multiply</c>, <c>TransposeThisAndMultiply</c>, <c>TransposeAndMultiply</c> and the operators)
/// on <see cref="Gemm"/>, and hands everything else (decompositions, solvers, complex types, element-wise array
/// operations) to the provider it wraps, MathNet's managed one by default.
/// </summary>
/// <example>
/// <code>
/// LinearAlgebraControl.Provider = new GemmLinearAlgebraProvider();
/// Matrix&lt;float&gt; z = x * w; // now the packed SIMD kernel
/// </code>
/// </example>
/// <remarks>
/// MathNet's provider is process-wide, so installing this one changes every dense product in the process.
/// Results differ from the managed provider's in the last bits (different summation order and fused multiply-adds).
/// Sparse and diagonal matrices do not go through the provider and are unaffected.
/// </remarks>
public sealed class GemmLinearAlgebraProvider : ILinearAlgebraProvider
{
    private readonly ILinearAlgebraProvider _managed;

    /// <summary>Wraps <paramref name="fallback"/>, or MathNet's managed provider when null.</summary>
    /// <param name="fallback">The provider for every operation other than real dense products.</param>
    public GemmLinearAlgebraProvider(ILinearAlgebraProvider? fallback = null)
    {
        _managed = fallback ?? ManagedLinearAlgebraProvider.Instance;
    }

    /// <inheritdoc />
    public override string ToString() => $"NeuralNet GEMM ({Gemm.KernelName<float>()}) over {_managed}";

    /// <summary>
    /// MathNet's convention: A is stored <c>rowsA x columnsA</c> column-major and <c>op(A)</c> transposes it when
    /// asked (conjugate transpose is plain transpose for real numbers); <c>c = alpha op(A) op(B) + beta c</c>.
    /// </summary>
    private static void MultiplyWithUpdate<T>(Transpose transposeA, Transpose transposeB, T alpha, T[] a, int rowsA, int columnsA,
        T[] b, int rowsB, int columnsB, T beta, T[] c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool ta = transposeA != Transpose.DontTranspose, tb = transposeB != Transpose.DontTranspose;
        int m = ta ? columnsA : rowsA, k = ta ? rowsA : columnsA;
        int kB = tb ? columnsB : rowsB, n = tb ? rowsB : columnsB;
        if (k != kB)
        {
            throw new ArgumentException($"op(A) has {k} columns but op(B) has {kB} rows (A [{rowsA}x{columnsA}], B [{rowsB}x{columnsB}]).", nameof(b));
        }

        Gemm.Multiply(ta, tb, m, n, k, alpha, a, Math.Max(1, rowsA), b, Math.Max(1, rowsB), beta, c, Math.Max(1, m));
    }

    // ILinearAlgebraProvider
    bool ILinearAlgebraProvider.IsAvailable() => ((ILinearAlgebraProvider)_managed).IsAvailable();
    void ILinearAlgebraProvider.InitializeVerify() => ((ILinearAlgebraProvider)_managed).InitializeVerify();
    void ILinearAlgebraProvider.FreeResources() => ((ILinearAlgebraProvider)_managed).FreeResources();

    // ILinearAlgebraProvider<double>
    void ILinearAlgebraProvider<double>.AddVectorToScaledVector(double[] y, double alpha, double[] x, double[] result) => ((ILinearAlgebraProvider<double>)_managed).AddVectorToScaledVector(y, alpha, x, result);
    void ILinearAlgebraProvider<double>.ScaleArray(double alpha, double[] x, double[] result) => ((ILinearAlgebraProvider<double>)_managed).ScaleArray(alpha, x, result);
    void ILinearAlgebraProvider<double>.ConjugateArray(double[] x, double[] result) => ((ILinearAlgebraProvider<double>)_managed).ConjugateArray(x, result);
    double ILinearAlgebraProvider<double>.DotProduct(double[] x, double[] y) => ((ILinearAlgebraProvider<double>)_managed).DotProduct(x, y);
    void ILinearAlgebraProvider<double>.AddArrays(double[] x, double[] y, double[] result) => ((ILinearAlgebraProvider<double>)_managed).AddArrays(x, y, result);
    void ILinearAlgebraProvider<double>.SubtractArrays(double[] x, double[] y, double[] result) => ((ILinearAlgebraProvider<double>)_managed).SubtractArrays(x, y, result);
    void ILinearAlgebraProvider<double>.PointWiseMultiplyArrays(double[] x, double[] y, double[] result) => ((ILinearAlgebraProvider<double>)_managed).PointWiseMultiplyArrays(x, y, result);
    void ILinearAlgebraProvider<double>.PointWiseDivideArrays(double[] x, double[] y, double[] result) => ((ILinearAlgebraProvider<double>)_managed).PointWiseDivideArrays(x, y, result);
    void ILinearAlgebraProvider<double>.PointWisePowerArrays(double[] x, double[] y, double[] result) => ((ILinearAlgebraProvider<double>)_managed).PointWisePowerArrays(x, y, result);
    double ILinearAlgebraProvider<double>.MatrixNorm(Norm norm, int rows, int columns, double[] matrix) => ((ILinearAlgebraProvider<double>)_managed).MatrixNorm(norm, rows, columns, matrix);
    void ILinearAlgebraProvider<double>.MatrixMultiply(double[] x, int rowsX, int columnsX, double[] y, int rowsY, int columnsY, double[] result) =>
        MultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1.0, x, rowsX, columnsX, y, rowsY, columnsY, 0.0, result);
    void ILinearAlgebraProvider<double>.MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, double alpha, double[] a, int rowsA, int columnsA, double[] b, int rowsB, int columnsB, double beta, double[] c) =>
        MultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    void ILinearAlgebraProvider<double>.LUFactor(double[] data, int order, int[] ipiv) => ((ILinearAlgebraProvider<double>)_managed).LUFactor(data, order, ipiv);
    void ILinearAlgebraProvider<double>.LUInverse(double[] a, int order) => ((ILinearAlgebraProvider<double>)_managed).LUInverse(a, order);
    void ILinearAlgebraProvider<double>.LUInverseFactored(double[] a, int order, int[] ipiv) => ((ILinearAlgebraProvider<double>)_managed).LUInverseFactored(a, order, ipiv);
    void ILinearAlgebraProvider<double>.LUSolve(int columnsOfB, double[] a, int order, double[] b) => ((ILinearAlgebraProvider<double>)_managed).LUSolve(columnsOfB, a, order, b);
    void ILinearAlgebraProvider<double>.LUSolveFactored(int columnsOfB, double[] a, int order, int[] ipiv, double[] b) => ((ILinearAlgebraProvider<double>)_managed).LUSolveFactored(columnsOfB, a, order, ipiv, b);
    void ILinearAlgebraProvider<double>.CholeskyFactor(double[] a, int order) => ((ILinearAlgebraProvider<double>)_managed).CholeskyFactor(a, order);
    void ILinearAlgebraProvider<double>.CholeskySolve(double[] a, int orderA, double[] b, int columnsB) => ((ILinearAlgebraProvider<double>)_managed).CholeskySolve(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<double>.CholeskySolveFactored(double[] a, int orderA, double[] b, int columnsB) => ((ILinearAlgebraProvider<double>)_managed).CholeskySolveFactored(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<double>.QRFactor(double[] a, int rowsA, int columnsA, double[] q, double[] tau) => ((ILinearAlgebraProvider<double>)_managed).QRFactor(a, rowsA, columnsA, q, tau);
    void ILinearAlgebraProvider<double>.ThinQRFactor(double[] a, int rowsA, int columnsA, double[] r, double[] tau) => ((ILinearAlgebraProvider<double>)_managed).ThinQRFactor(a, rowsA, columnsA, r, tau);
    void ILinearAlgebraProvider<double>.QRSolve(double[] a, int rows, int columns, double[] b, int columnsB, double[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<double>)_managed).QRSolve(a, rows, columns, b, columnsB, x, method);
    void ILinearAlgebraProvider<double>.QRSolveFactored(double[] q, double[] r, int rowsA, int columnsA, double[] tau, double[] b, int columnsB, double[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<double>)_managed).QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    void ILinearAlgebraProvider<double>.SingularValueDecomposition(bool computeVectors, double[] a, int rowsA, int columnsA, double[] s, double[] u, double[] vt) => ((ILinearAlgebraProvider<double>)_managed).SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    void ILinearAlgebraProvider<double>.SvdSolve(double[] a, int rowsA, int columnsA, double[] b, int columnsB, double[] x) => ((ILinearAlgebraProvider<double>)_managed).SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    void ILinearAlgebraProvider<double>.SvdSolveFactored(int rowsA, int columnsA, double[] s, double[] u, double[] vt, double[] b, int columnsB, double[] x) => ((ILinearAlgebraProvider<double>)_managed).SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    void ILinearAlgebraProvider<double>.EigenDecomp(bool isSymmetric, int order, double[] matrix, double[] matrixEv, Complex[] vectorEv, double[] matrixD) => ((ILinearAlgebraProvider<double>)_managed).EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);

    // ILinearAlgebraProvider<float>
    void ILinearAlgebraProvider<float>.AddVectorToScaledVector(float[] y, float alpha, float[] x, float[] result) => ((ILinearAlgebraProvider<float>)_managed).AddVectorToScaledVector(y, alpha, x, result);
    void ILinearAlgebraProvider<float>.ScaleArray(float alpha, float[] x, float[] result) => ((ILinearAlgebraProvider<float>)_managed).ScaleArray(alpha, x, result);
    void ILinearAlgebraProvider<float>.ConjugateArray(float[] x, float[] result) => ((ILinearAlgebraProvider<float>)_managed).ConjugateArray(x, result);
    float ILinearAlgebraProvider<float>.DotProduct(float[] x, float[] y) => ((ILinearAlgebraProvider<float>)_managed).DotProduct(x, y);
    void ILinearAlgebraProvider<float>.AddArrays(float[] x, float[] y, float[] result) => ((ILinearAlgebraProvider<float>)_managed).AddArrays(x, y, result);
    void ILinearAlgebraProvider<float>.SubtractArrays(float[] x, float[] y, float[] result) => ((ILinearAlgebraProvider<float>)_managed).SubtractArrays(x, y, result);
    void ILinearAlgebraProvider<float>.PointWiseMultiplyArrays(float[] x, float[] y, float[] result) => ((ILinearAlgebraProvider<float>)_managed).PointWiseMultiplyArrays(x, y, result);
    void ILinearAlgebraProvider<float>.PointWiseDivideArrays(float[] x, float[] y, float[] result) => ((ILinearAlgebraProvider<float>)_managed).PointWiseDivideArrays(x, y, result);
    void ILinearAlgebraProvider<float>.PointWisePowerArrays(float[] x, float[] y, float[] result) => ((ILinearAlgebraProvider<float>)_managed).PointWisePowerArrays(x, y, result);
    double ILinearAlgebraProvider<float>.MatrixNorm(Norm norm, int rows, int columns, float[] matrix) => ((ILinearAlgebraProvider<float>)_managed).MatrixNorm(norm, rows, columns, matrix);
    void ILinearAlgebraProvider<float>.MatrixMultiply(float[] x, int rowsX, int columnsX, float[] y, int rowsY, int columnsY, float[] result) =>
        MultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1f, x, rowsX, columnsX, y, rowsY, columnsY, 0f, result);
    void ILinearAlgebraProvider<float>.MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, float alpha, float[] a, int rowsA, int columnsA, float[] b, int rowsB, int columnsB, float beta, float[] c) =>
        MultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    void ILinearAlgebraProvider<float>.LUFactor(float[] data, int order, int[] ipiv) => ((ILinearAlgebraProvider<float>)_managed).LUFactor(data, order, ipiv);
    void ILinearAlgebraProvider<float>.LUInverse(float[] a, int order) => ((ILinearAlgebraProvider<float>)_managed).LUInverse(a, order);
    void ILinearAlgebraProvider<float>.LUInverseFactored(float[] a, int order, int[] ipiv) => ((ILinearAlgebraProvider<float>)_managed).LUInverseFactored(a, order, ipiv);
    void ILinearAlgebraProvider<float>.LUSolve(int columnsOfB, float[] a, int order, float[] b) => ((ILinearAlgebraProvider<float>)_managed).LUSolve(columnsOfB, a, order, b);
    void ILinearAlgebraProvider<float>.LUSolveFactored(int columnsOfB, float[] a, int order, int[] ipiv, float[] b) => ((ILinearAlgebraProvider<float>)_managed).LUSolveFactored(columnsOfB, a, order, ipiv, b);
    void ILinearAlgebraProvider<float>.CholeskyFactor(float[] a, int order) => ((ILinearAlgebraProvider<float>)_managed).CholeskyFactor(a, order);
    void ILinearAlgebraProvider<float>.CholeskySolve(float[] a, int orderA, float[] b, int columnsB) => ((ILinearAlgebraProvider<float>)_managed).CholeskySolve(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<float>.CholeskySolveFactored(float[] a, int orderA, float[] b, int columnsB) => ((ILinearAlgebraProvider<float>)_managed).CholeskySolveFactored(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<float>.QRFactor(float[] a, int rowsA, int columnsA, float[] q, float[] tau) => ((ILinearAlgebraProvider<float>)_managed).QRFactor(a, rowsA, columnsA, q, tau);
    void ILinearAlgebraProvider<float>.ThinQRFactor(float[] a, int rowsA, int columnsA, float[] r, float[] tau) => ((ILinearAlgebraProvider<float>)_managed).ThinQRFactor(a, rowsA, columnsA, r, tau);
    void ILinearAlgebraProvider<float>.QRSolve(float[] a, int rows, int columns, float[] b, int columnsB, float[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<float>)_managed).QRSolve(a, rows, columns, b, columnsB, x, method);
    void ILinearAlgebraProvider<float>.QRSolveFactored(float[] q, float[] r, int rowsA, int columnsA, float[] tau, float[] b, int columnsB, float[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<float>)_managed).QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    void ILinearAlgebraProvider<float>.SingularValueDecomposition(bool computeVectors, float[] a, int rowsA, int columnsA, float[] s, float[] u, float[] vt) => ((ILinearAlgebraProvider<float>)_managed).SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    void ILinearAlgebraProvider<float>.SvdSolve(float[] a, int rowsA, int columnsA, float[] b, int columnsB, float[] x) => ((ILinearAlgebraProvider<float>)_managed).SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    void ILinearAlgebraProvider<float>.SvdSolveFactored(int rowsA, int columnsA, float[] s, float[] u, float[] vt, float[] b, int columnsB, float[] x) => ((ILinearAlgebraProvider<float>)_managed).SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    void ILinearAlgebraProvider<float>.EigenDecomp(bool isSymmetric, int order, float[] matrix, float[] matrixEv, Complex[] vectorEv, float[] matrixD) => ((ILinearAlgebraProvider<float>)_managed).EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);

    // ILinearAlgebraProvider<Complex>
    void ILinearAlgebraProvider<Complex>.AddVectorToScaledVector(Complex[] y, Complex alpha, Complex[] x, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).AddVectorToScaledVector(y, alpha, x, result);
    void ILinearAlgebraProvider<Complex>.ScaleArray(Complex alpha, Complex[] x, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).ScaleArray(alpha, x, result);
    void ILinearAlgebraProvider<Complex>.ConjugateArray(Complex[] x, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).ConjugateArray(x, result);
    Complex ILinearAlgebraProvider<Complex>.DotProduct(Complex[] x, Complex[] y) => ((ILinearAlgebraProvider<Complex>)_managed).DotProduct(x, y);
    void ILinearAlgebraProvider<Complex>.AddArrays(Complex[] x, Complex[] y, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).AddArrays(x, y, result);
    void ILinearAlgebraProvider<Complex>.SubtractArrays(Complex[] x, Complex[] y, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).SubtractArrays(x, y, result);
    void ILinearAlgebraProvider<Complex>.PointWiseMultiplyArrays(Complex[] x, Complex[] y, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).PointWiseMultiplyArrays(x, y, result);
    void ILinearAlgebraProvider<Complex>.PointWiseDivideArrays(Complex[] x, Complex[] y, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).PointWiseDivideArrays(x, y, result);
    void ILinearAlgebraProvider<Complex>.PointWisePowerArrays(Complex[] x, Complex[] y, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).PointWisePowerArrays(x, y, result);
    double ILinearAlgebraProvider<Complex>.MatrixNorm(Norm norm, int rows, int columns, Complex[] matrix) => ((ILinearAlgebraProvider<Complex>)_managed).MatrixNorm(norm, rows, columns, matrix);
    void ILinearAlgebraProvider<Complex>.MatrixMultiply(Complex[] x, int rowsX, int columnsX, Complex[] y, int rowsY, int columnsY, Complex[] result) => ((ILinearAlgebraProvider<Complex>)_managed).MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    void ILinearAlgebraProvider<Complex>.MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex alpha, Complex[] a, int rowsA, int columnsA, Complex[] b, int rowsB, int columnsB, Complex beta, Complex[] c) => ((ILinearAlgebraProvider<Complex>)_managed).MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    void ILinearAlgebraProvider<Complex>.LUFactor(Complex[] data, int order, int[] ipiv) => ((ILinearAlgebraProvider<Complex>)_managed).LUFactor(data, order, ipiv);
    void ILinearAlgebraProvider<Complex>.LUInverse(Complex[] a, int order) => ((ILinearAlgebraProvider<Complex>)_managed).LUInverse(a, order);
    void ILinearAlgebraProvider<Complex>.LUInverseFactored(Complex[] a, int order, int[] ipiv) => ((ILinearAlgebraProvider<Complex>)_managed).LUInverseFactored(a, order, ipiv);
    void ILinearAlgebraProvider<Complex>.LUSolve(int columnsOfB, Complex[] a, int order, Complex[] b) => ((ILinearAlgebraProvider<Complex>)_managed).LUSolve(columnsOfB, a, order, b);
    void ILinearAlgebraProvider<Complex>.LUSolveFactored(int columnsOfB, Complex[] a, int order, int[] ipiv, Complex[] b) => ((ILinearAlgebraProvider<Complex>)_managed).LUSolveFactored(columnsOfB, a, order, ipiv, b);
    void ILinearAlgebraProvider<Complex>.CholeskyFactor(Complex[] a, int order) => ((ILinearAlgebraProvider<Complex>)_managed).CholeskyFactor(a, order);
    void ILinearAlgebraProvider<Complex>.CholeskySolve(Complex[] a, int orderA, Complex[] b, int columnsB) => ((ILinearAlgebraProvider<Complex>)_managed).CholeskySolve(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<Complex>.CholeskySolveFactored(Complex[] a, int orderA, Complex[] b, int columnsB) => ((ILinearAlgebraProvider<Complex>)_managed).CholeskySolveFactored(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<Complex>.QRFactor(Complex[] a, int rowsA, int columnsA, Complex[] q, Complex[] tau) => ((ILinearAlgebraProvider<Complex>)_managed).QRFactor(a, rowsA, columnsA, q, tau);
    void ILinearAlgebraProvider<Complex>.ThinQRFactor(Complex[] a, int rowsA, int columnsA, Complex[] r, Complex[] tau) => ((ILinearAlgebraProvider<Complex>)_managed).ThinQRFactor(a, rowsA, columnsA, r, tau);
    void ILinearAlgebraProvider<Complex>.QRSolve(Complex[] a, int rows, int columns, Complex[] b, int columnsB, Complex[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<Complex>)_managed).QRSolve(a, rows, columns, b, columnsB, x, method);
    void ILinearAlgebraProvider<Complex>.QRSolveFactored(Complex[] q, Complex[] r, int rowsA, int columnsA, Complex[] tau, Complex[] b, int columnsB, Complex[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<Complex>)_managed).QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    void ILinearAlgebraProvider<Complex>.SingularValueDecomposition(bool computeVectors, Complex[] a, int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt) => ((ILinearAlgebraProvider<Complex>)_managed).SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    void ILinearAlgebraProvider<Complex>.SvdSolve(Complex[] a, int rowsA, int columnsA, Complex[] b, int columnsB, Complex[] x) => ((ILinearAlgebraProvider<Complex>)_managed).SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    void ILinearAlgebraProvider<Complex>.SvdSolveFactored(int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt, Complex[] b, int columnsB, Complex[] x) => ((ILinearAlgebraProvider<Complex>)_managed).SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    void ILinearAlgebraProvider<Complex>.EigenDecomp(bool isSymmetric, int order, Complex[] matrix, Complex[] matrixEv, Complex[] vectorEv, Complex[] matrixD) => ((ILinearAlgebraProvider<Complex>)_managed).EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);

    // ILinearAlgebraProvider<Complex32>
    void ILinearAlgebraProvider<Complex32>.AddVectorToScaledVector(Complex32[] y, Complex32 alpha, Complex32[] x, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).AddVectorToScaledVector(y, alpha, x, result);
    void ILinearAlgebraProvider<Complex32>.ScaleArray(Complex32 alpha, Complex32[] x, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).ScaleArray(alpha, x, result);
    void ILinearAlgebraProvider<Complex32>.ConjugateArray(Complex32[] x, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).ConjugateArray(x, result);
    Complex32 ILinearAlgebraProvider<Complex32>.DotProduct(Complex32[] x, Complex32[] y) => ((ILinearAlgebraProvider<Complex32>)_managed).DotProduct(x, y);
    void ILinearAlgebraProvider<Complex32>.AddArrays(Complex32[] x, Complex32[] y, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).AddArrays(x, y, result);
    void ILinearAlgebraProvider<Complex32>.SubtractArrays(Complex32[] x, Complex32[] y, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).SubtractArrays(x, y, result);
    void ILinearAlgebraProvider<Complex32>.PointWiseMultiplyArrays(Complex32[] x, Complex32[] y, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).PointWiseMultiplyArrays(x, y, result);
    void ILinearAlgebraProvider<Complex32>.PointWiseDivideArrays(Complex32[] x, Complex32[] y, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).PointWiseDivideArrays(x, y, result);
    void ILinearAlgebraProvider<Complex32>.PointWisePowerArrays(Complex32[] x, Complex32[] y, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).PointWisePowerArrays(x, y, result);
    double ILinearAlgebraProvider<Complex32>.MatrixNorm(Norm norm, int rows, int columns, Complex32[] matrix) => ((ILinearAlgebraProvider<Complex32>)_managed).MatrixNorm(norm, rows, columns, matrix);
    void ILinearAlgebraProvider<Complex32>.MatrixMultiply(Complex32[] x, int rowsX, int columnsX, Complex32[] y, int rowsY, int columnsY, Complex32[] result) => ((ILinearAlgebraProvider<Complex32>)_managed).MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    void ILinearAlgebraProvider<Complex32>.MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex32 alpha, Complex32[] a, int rowsA, int columnsA, Complex32[] b, int rowsB, int columnsB, Complex32 beta, Complex32[] c) => ((ILinearAlgebraProvider<Complex32>)_managed).MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    void ILinearAlgebraProvider<Complex32>.LUFactor(Complex32[] data, int order, int[] ipiv) => ((ILinearAlgebraProvider<Complex32>)_managed).LUFactor(data, order, ipiv);
    void ILinearAlgebraProvider<Complex32>.LUInverse(Complex32[] a, int order) => ((ILinearAlgebraProvider<Complex32>)_managed).LUInverse(a, order);
    void ILinearAlgebraProvider<Complex32>.LUInverseFactored(Complex32[] a, int order, int[] ipiv) => ((ILinearAlgebraProvider<Complex32>)_managed).LUInverseFactored(a, order, ipiv);
    void ILinearAlgebraProvider<Complex32>.LUSolve(int columnsOfB, Complex32[] a, int order, Complex32[] b) => ((ILinearAlgebraProvider<Complex32>)_managed).LUSolve(columnsOfB, a, order, b);
    void ILinearAlgebraProvider<Complex32>.LUSolveFactored(int columnsOfB, Complex32[] a, int order, int[] ipiv, Complex32[] b) => ((ILinearAlgebraProvider<Complex32>)_managed).LUSolveFactored(columnsOfB, a, order, ipiv, b);
    void ILinearAlgebraProvider<Complex32>.CholeskyFactor(Complex32[] a, int order) => ((ILinearAlgebraProvider<Complex32>)_managed).CholeskyFactor(a, order);
    void ILinearAlgebraProvider<Complex32>.CholeskySolve(Complex32[] a, int orderA, Complex32[] b, int columnsB) => ((ILinearAlgebraProvider<Complex32>)_managed).CholeskySolve(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<Complex32>.CholeskySolveFactored(Complex32[] a, int orderA, Complex32[] b, int columnsB) => ((ILinearAlgebraProvider<Complex32>)_managed).CholeskySolveFactored(a, orderA, b, columnsB);
    void ILinearAlgebraProvider<Complex32>.QRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] q, Complex32[] tau) => ((ILinearAlgebraProvider<Complex32>)_managed).QRFactor(a, rowsA, columnsA, q, tau);
    void ILinearAlgebraProvider<Complex32>.ThinQRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] r, Complex32[] tau) => ((ILinearAlgebraProvider<Complex32>)_managed).ThinQRFactor(a, rowsA, columnsA, r, tau);
    void ILinearAlgebraProvider<Complex32>.QRSolve(Complex32[] a, int rows, int columns, Complex32[] b, int columnsB, Complex32[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<Complex32>)_managed).QRSolve(a, rows, columns, b, columnsB, x, method);
    void ILinearAlgebraProvider<Complex32>.QRSolveFactored(Complex32[] q, Complex32[] r, int rowsA, int columnsA, Complex32[] tau, Complex32[] b, int columnsB, Complex32[] x, MathNet.Numerics.LinearAlgebra.Factorization.QRMethod method) => ((ILinearAlgebraProvider<Complex32>)_managed).QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    void ILinearAlgebraProvider<Complex32>.SingularValueDecomposition(bool computeVectors, Complex32[] a, int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt) => ((ILinearAlgebraProvider<Complex32>)_managed).SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    void ILinearAlgebraProvider<Complex32>.SvdSolve(Complex32[] a, int rowsA, int columnsA, Complex32[] b, int columnsB, Complex32[] x) => ((ILinearAlgebraProvider<Complex32>)_managed).SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    void ILinearAlgebraProvider<Complex32>.SvdSolveFactored(int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt, Complex32[] b, int columnsB, Complex32[] x) => ((ILinearAlgebraProvider<Complex32>)_managed).SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    void ILinearAlgebraProvider<Complex32>.EigenDecomp(bool isSymmetric, int order, Complex32[] matrix, Complex32[] matrixEv, Complex[] vectorEv, Complex32[] matrixD) => ((ILinearAlgebraProvider<Complex32>)_managed).EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
}
