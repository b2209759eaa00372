namespace NeuralNet;

/// <summary>The complete state of a <see cref="RandomSource"/>, for checkpoints.</summary>
/// <param name="S0">xoshiro256** state word 0.</param>
/// <param name="S1">xoshiro256** state word 1.</param>
/// <param name="S2">xoshiro256** state word 2.</param>
/// <param name="S3">xoshiro256** state word 3.</param>
/// <param name="HasSpareGaussian">Whether a second polar-method deviate is cached.</param>
/// <param name="SpareGaussian">The cached deviate, when <paramref name="HasSpareGaussian"/> is true.</param>
public readonly record struct RandomSourceState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareGaussian, double SpareGaussian);
