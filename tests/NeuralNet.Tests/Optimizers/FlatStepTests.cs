using System.Numerics;
using NeuralNet.Kernels;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>The flat, multi-threaded optimiser steps against the per-parameter scalar updates they replace, bit for bit,
/// and the guard that refuses a step it cannot bound.</summary>
public class FlatStepTests
{
    /// <summary>Three tensors whose lengths are not multiples of any vector width, over 2 · 32,768 scalars in all, so
    /// two threads split the flat range inside a tensor.</summary>
    private static Parameter<T>[] Parameters<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        Parameter<T>[] parameters = [new("W", 211, 193, true), new("b", 1, 19, false), new("W", 157, 191, true)];
        foreach (Parameter<T> p in parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] = T.CreateTruncating(random.NextDouble() * 2 - 1);
                p.Gradient[i] = T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 2)));
            }
        }

        return parameters;
    }

    /// <summary>The Adam update as the optimiser computed it before the flat step: one scalar loop per tensor; with
    /// <paramref name="flushSubnormal"/>, a moment below the smallest normal number becomes a zero of its sign.</summary>
    private static void ReferenceAdam<T>(Parameter<T>[] parameters, T[][] m, T[][] v, long t, double rate, double weightDecay, bool flushSubnormal = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const double Beta1 = 0.9, Beta2 = 0.999;
        T eps = T.CreateTruncating(1e-8);
        T b1 = T.CreateTruncating(Beta1), b2 = T.CreateTruncating(Beta2);
        T oneMinusB1 = T.CreateTruncating(1 - Beta1), oneMinusB2 = T.CreateTruncating(1 - Beta2);
        T correction1 = T.CreateTruncating(1 - Math.Pow(Beta1, t)), correction2 = T.CreateTruncating(1 - Math.Pow(Beta2, t));
        T decay = T.CreateTruncating(1 - rate * weightDecay);
        T stepScale = -T.CreateTruncating(rate) / correction1, inverseCorrection2 = T.One / correction2;
        for (int p = 0; p < parameters.Length; p++)
        {
            Span<T> value = parameters[p].Value, gradient = parameters[p].Gradient;
            T scale = weightDecay > 0 && parameters[p].IsRegularized ? decay : T.One;
            for (int i = 0; i < value.Length; i++)
            {
                T g = gradient[i];
                T mi = b1 * m[p][i] + oneMinusB1 * g;
                T vi = b2 * v[p][i] + oneMinusB2 * (g * g);
                if (flushSubnormal)
                {
                    mi = IsSubnormal(mi) ? T.CopySign(T.Zero, mi) : mi;
                    vi = IsSubnormal(vi) ? T.CopySign(T.Zero, vi) : vi;
                }

                m[p][i] = mi;
                v[p][i] = vi;
                value[i] = value[i] * scale + stepScale * (mi / (T.Sqrt(vi * inverseCorrection2) + eps));
            }
        }
    }

    private static bool IsSubnormal<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsSubnormal(x);

    private static T[] Flat<T>(Parameter<T>[] parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var all = new List<T>();
        foreach (Parameter<T> p in parameters)
        {
            all.AddRange(p.Value.ToArray());
        }

        return [.. all];
    }

    private static void WithThreads(int threads, Action action)
    {
        int previous = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = threads;
            action();
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = previous;
        }
    }

    private static void AdamMatchesReference<T>(int threads, double weightDecay) where T : unmanaged, IFloatingPointIeee754<T> => WithThreads(threads, () =>
    {
        Parameter<T>[] flat = Parameters<T>(1), reference = Parameters<T>(1);
        T[][] m = Array.ConvertAll(reference, p => new T[p.Length]), v = Array.ConvertAll(reference, p => new T[p.Length]);
        var adam = new Adam(0.01, weightDecay: weightDecay);
        for (int t = 1; t <= 3; t++)
        {
            adam.Step(flat, T.Zero);
            ReferenceAdam(reference, m, v, t, 0.01, weightDecay);
        }

        Flat(flat).Should().Equal(Flat(reference));
    });

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(2, 0.1)]
    public void Adam_FlatStep_EqualsPerParameterScalarStepBitForBit(int threads, double weightDecay)
    {
        AdamMatchesReference<float>(threads, weightDecay);
        AdamMatchesReference<double>(threads, weightDecay);
    }

    /// <summary>
    /// A gradient that stops after one step (a unit that died) leaves <c>m ← β1 m</c> decaying into the subnormal
    /// range, where IEEE arithmetic keeps it for ever and every multiply costs a microcode assist. Adam stores such a
    /// moment as 0: its state matches the flushing reference bit for bit on 1 and 2 threads, holds no subnormal value
    /// where the plain IEEE reference holds thousands, and its weights are those of the IEEE reference exactly.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Adam_SubnormalMoments_AreFlushedToZero_WeightsAsIeee(int threads)
    {
        FlushCheck<float>(threads, 1e-36);
        FlushCheck<double>(threads, 1e-305);
    }

    private static void FlushCheck<T>(int threads, double gradientScale) where T : unmanaged, IFloatingPointIeee754<T> => WithThreads(threads, () =>
    {
        Parameter<T>[] flat = Parameters<T>(8), flushed = Parameters<T>(8), ieee = Parameters<T>(8);
        T[][] m = Array.ConvertAll(flushed, p => new T[p.Length]), v = Array.ConvertAll(flushed, p => new T[p.Length]);
        T[][] mIeee = Array.ConvertAll(ieee, p => new T[p.Length]), vIeee = Array.ConvertAll(ieee, p => new T[p.Length]);
        T scale = T.CreateTruncating(gradientScale);
        var adam = new Adam(0.01);
        for (int t = 1; t <= 100; t++)
        {
            foreach (Parameter<T>[] set in new[] { flat, flushed, ieee })
            {
                foreach (Parameter<T> p in set)
                {
                    // One step of tiny gradients, then none: m = 0.1 g, then 0.9 m per step.
                    for (int i = 0; i < p.Length; i++)
                    {
                        p.Gradient[i] = t == 1 ? p.Gradient[i] * scale : T.Zero;
                    }
                }
            }

            adam.Step(flat, T.Zero);
            ReferenceAdam(flushed, m, v, t, 0.01, 0.0);
            ReferenceAdam(ieee, mIeee, vIeee, t, 0.01, 0.0, flushSubnormal: false);
        }

        Flat(flat).Should().Equal(Flat(flushed));
        Flat(flat).Should().Equal(Flat(ieee), "a subnormal m moves no weight of magnitude above 2^-85");
        IReadOnlyList<double[]> state = adam.ExportState().Tensors;
        for (int p = 0; p < flushed.Length; p++)
        {
            state[p].Should().Equal(Array.ConvertAll(m[p], x => double.CreateTruncating(x)), $"m of tensor {p}");
            state[flushed.Length + p].Should().Equal(Array.ConvertAll(v[p], x => double.CreateTruncating(x)), $"v of tensor {p}");
            m[p].Count(IsSubnormal).Should().Be(0);
        }

        mIeee.SelectMany(x => x).Count(IsSubnormal).Should().BeGreaterThan(1000, "without the flush m stays subnormal");
    });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sgd_FlatStep_EqualsMultiplyThenAddBitForBit(int threads) => WithThreads(threads, () =>
    {
        Parameter<float>[] flat = Parameters<float>(2), reference = Parameters<float>(2);
        new Sgd(0.3).Step(flat, 0f);
        foreach (Parameter<float> p in reference)
        {
            for (int i = 0; i < p.Length; i++)
            {
                // θ = g · (-η) + θ, two roundings.
                p.Value[i] = p.Gradient[i] * -0.3f + p.Value[i];
            }
        }

        Flat(flat).Should().Equal(Flat(reference));
    });

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void Momentum_FlatStep_EqualsPerParameterScalarStepBitForBit(int threads, bool nesterov) => WithThreads(threads, () =>
    {
        Parameter<float>[] flat = Parameters<float>(7), reference = Parameters<float>(7);
        float[][] velocity = Array.ConvertAll(reference, p => new float[p.Length]);
        var momentum = new Momentum(0.05, 0.9, nesterov);
        float rate = 0.05f, mu = 0.9f, look = nesterov ? mu : 1f, direct = nesterov ? rate : 0f;
        for (int step = 0; step < 3; step++)
        {
            momentum.Step(flat, 0f);
            for (int p = 0; p < reference.Length; p++)
            {
                for (int i = 0; i < reference[p].Length; i++)
                {
                    // v = μ v - η g;  θ += l v - d g
                    float g = reference[p].Gradient[i];
                    float v = mu * velocity[p][i] - rate * g;
                    velocity[p][i] = v;
                    reference[p].Value[i] += look * v - direct * g;
                }
            }
        }

        Flat(flat).Should().Equal(Flat(reference));
    });

    [Fact]
    public void TryGuardedStep_FiniteSmallGradients_StepsAndReportsLargestWeight()
    {
        Parameter<float>[] guarded = Parameters<float>(3), plain = Parameters<float>(3);
        var first = new Adam(0.01);
        first.TryGuardedStep(guarded, 1.0, out double maxAfter).Should().BeTrue();
        new Adam(0.01).Step(plain, 0f);

        Flat(guarded).Should().Equal(Flat(plain));
        first.StepCount.Should().Be(1);
        maxAfter.Should().Be(Flat(plain).Max(Math.Abs));
    }

    [Theory]
    [InlineData(0, 100, float.NaN, false)]                 // a gradient inside W1's vectors
    [InlineData(2, 29986, float.NaN, false)]               // the last value of W2: the update's scalar tail
    [InlineData(0, 3000, float.PositiveInfinity, false)]   // m and v become infinite, θ NaN (∞ / ∞)
    [InlineData(1, 5, float.NegativeInfinity, false)]
    [InlineData(0, 200, float.NaN, true)]                  // a weight: θ' is NaN while m' stays finite
    [InlineData(2, 29985, float.PositiveInfinity, true)]
    public void Adam_StepLeavingANonFiniteValue_MakesTheNextGuardedStepRefuse(int parameter, int index, float value, bool weight)
    {
        // The flat update reports a non-finite θ' or m' (a NaN v' makes θ' NaN) as a NaN state bound, so that no guarded
        // step trusts that state afterwards. A plain step (the trainer's fallback) with one bad gradient or weight
        // leaves such a state; the next guarded step must refuse even with small, finite gradients.
        foreach (int threads in new[] { 1, 2 })
        {
            WithThreads(threads, () =>
            {
                Parameter<float>[] parameters = Parameters<float>(6), control = Parameters<float>(6);
                (weight ? parameters[parameter].Value : parameters[parameter].Gradient)[index] = value;
                var adam = new Adam(0.01);
                var healthy = new Adam(0.01);
                adam.Step(parameters, 0f);
                healthy.Step(control, 0f);
                parameters[parameter].Gradient[index] = 1e-3f;

                healthy.TryGuardedStep(control, 2.0, out _).Should().BeTrue("a step from a finite state is bounded");
                adam.TryGuardedStep(parameters, 2.0, out double maxAfter).Should().BeFalse("the state holds {0} since the last step", value);
                maxAfter.Should().Be(double.NaN);
            });
        }
    }

    [Theory]
    [InlineData(2, 5000, float.NaN)]                // inside W2's vectors
    [InlineData(0, 40722, float.NaN)]               // the last value of W1 (40,723 values): the scan's scalar tail
    [InlineData(1, 0, float.NaN)]                   // b (19 values, shorter than one vector)
    [InlineData(2, 29986, float.NaN)]               // the last value of W2
    [InlineData(2, 100, float.PositiveInfinity)]    // an infinite gradient: no bound can be given
    [InlineData(0, 7, float.NegativeInfinity)]
    public void TryGuardedStep_NonFiniteGradientAnywhere_RefusesAndChangesNothing(int parameter, int index, float value)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            WithThreads(threads, () =>
            {
                Parameter<float>[] parameters = Parameters<float>(4);
                parameters[parameter].Gradient[index] = value;
                float[] before = Flat(parameters);
                var adam = new Adam(0.01);

                adam.TryGuardedStep(parameters, 1.0, out double maxAfter).Should().BeFalse();

                Flat(parameters).Should().Equal(before);
                adam.StepCount.Should().Be(0);
                maxAfter.Should().Be(double.NaN);
            });
        }
    }

    [Theory]
    [InlineData(1e-8, 3e38)] // weights near float's largest value: θ + Δθ may overflow
    [InlineData(0.0, 1.0)] // ε = 0: m / √v is 0/0 where a gradient has always been 0
    public void TryGuardedStep_UnboundedStep_Refuses(double epsilon, double maxValue)
    {
        Parameter<float>[] parameters = Parameters<float>(5);
        float[] before = Flat(parameters);
        var adam = new Adam(0.01, epsilon: epsilon);

        adam.TryGuardedStep(parameters, maxValue, out _).Should().BeFalse();

        Flat(parameters).Should().Equal(before);
    }

    [Fact]
    public void TryGuardedStep_HugeSgdRate_Refuses()
    {
        Parameter<double>[] parameters = Parameters<double>(6);
        new Sgd(1e308).TryGuardedStep(parameters, 1.0, out _).Should().BeFalse();
    }
}
