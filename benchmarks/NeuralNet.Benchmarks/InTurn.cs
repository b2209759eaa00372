namespace NeuralNet.Benchmarks;

/// <summary>
/// One round of an alternation of two builds: the baseline timed first in even rounds and second in odd ones. A build
/// timed second in every round read 3-5% faster than the same build timed first (one-epoch fits of one commit against
/// itself: 0.945-0.967, docs/benchmarks.md), which a fixed order adds to every comparison.
/// </summary>
internal static class InTurn
{
    /// <summary>Runs <paramref name="before"/> and <paramref name="after"/> in this round's order; returns both results.</summary>
    public static (TResult Before, TResult After) Run<TResult>(int round, Func<TResult> before, Func<TResult> after)
    {
        if (round % 2 == 0)
        {
            TResult first = before();
            return (first, after());
        }

        TResult second = after();
        return (before(), second);
    }
}
